// Downloading a campaign's answers from the administration (/admin/m/M/c/C/export) when there are
// thousands: each format is streamed while it is made (CSV and SPSS in chunks, XLSX with its
// length), reads back in a real reader as the stored answers, leaves the server free to answer
// respondents meanwhile, and a download the client leaves halfway stops the work behind it.
// Runs on SQLite, and on PostgreSQL when NEEDSMAP_TEST_POSTGRES is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';
import { parseCsv } from '../lib/csv.mjs';
import { query } from '../lib/database.mjs';
import { AdminSession, demoAccounts } from '../lib/admin.mjs';
import { csvText, expectedColumns, readSav, readXlsx, storedAnswers } from '../lib/exports.mjs';

// 25 responses sent through the API, then copied in the database to 4,000: megabytes of export,
// many times what the server keeps in hand for one download.
const sent = 25;
const copies = 160;
const exportPath = '/admin/m/demo/c/citizens/export';

let server;
let dir;
let coordinator;
let citizens;
let stored;

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
  const paths = apiPaths(server.url);
  citizens = (await request(paths.questionnaire)).json;
  for (let i = 0; i < sent; ++i) {
    const answers = validAnswers({
      household_size: 4 + (i % 5),
      help_source: i % 2 ? ['family', 'csr'] : ['family'],
      suggestions: `Предлог ${i}: "више" помоћи, у кући\nи на селу`,
    });
    const r = await postJson(paths.responses, { submission_id: uuid(), answers });
    assert.equal(r.status, 201, r.text);
  }
  query(server.database, `INSERT INTO responses (id, campaign_id, submission_id, submitted_on, mode, language, answers)
    WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ${copies - 1})
    SELECT r.id || '-' || copies.n, r.campaign_id, r.submission_id || '-' || copies.n, r.submitted_on, r.mode,
           r.language, r.answers
      FROM responses r CROSS JOIN copies
     WHERE r.campaign_id = (SELECT c.id FROM campaigns c JOIN municipalities m ON m.id = c.municipality_id
                             WHERE m.slug = 'demo' AND c.slug = 'citizens')`);
  stored = storedAnswers(server.database, 'citizens');
  assert.equal(stored.size, sent * copies);
  const accounts = await demoAccounts(server);
  coordinator = new AdminSession(server.url);
  const signedIn = await coordinator.signIn(accounts.coordinator.email, accounts.coordinator.password);
  assert.equal(signedIn.status, 303);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function download(format) {
  const r = await fetch(`${server.url}${exportPath}?format=${format}`, { headers: { cookie: coordinator.cookie } });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

// Every row of a reader's table (header first) holds the stored answers, each response once.
function assertRowsAreStored(header, rows, cellText) {
  const columns = expectedColumns(citizens);
  assert.deepEqual(header, columns.map((c) => c.name));
  assert.equal(rows.length, stored.size, 'one row per stored response');
  const seen = new Set();
  for (const row of rows) {
    const response = stored.get(cellText(row[0]));
    assert.ok(response, `row of ${cellText(row[0])}`);
    seen.add(response.id);
    columns.forEach((column, i) => {
      assert.equal(cellText(row[i]), csvText(column, response), `${column.name} of ${response.id}`);
    });
  }
  assert.equal(seen.size, stored.size, 'no response twice');
}

test('a large CSV download is streamed in chunks and holds every stored answer', async () => {
  const r = await download('csv');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  assert.equal(r.headers.get('content-length'), null);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="demo-citizens\.csv"/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.ok(r.bytes.length > 2 * 1024 * 1024, `${r.bytes.length} bytes`);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes);  // drops the mark
  const [header, ...rows] = parseCsv(text);
  assertRowsAreStored(header, rows, (cell) => cell ?? '');
});

test('a large XLSX download is streamed in chunks and reads back in openpyxl as the stored answers', async () => {
  const r = await download('xlsx');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const file = join(dir, 'download.xlsx');
  writeFileSync(file, r.bytes);
  const book = readXlsx(file);
  assert.deepEqual(book.sheet_names, ['responses', 'codebook']);
  const [header, ...rows] = book.sheets.responses;
  const text = (cell) => (cell?.v === null || cell?.v === undefined ? '' : String(cell.v));
  assertRowsAreStored(header.map(text), rows, text);
});

test('a large SPSS download is streamed and reads back in ReadStat with every response', async () => {
  const r = await download('sav');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  const file = join(dir, 'download.sav');
  writeFileSync(file, r.bytes);
  const sav = readSav(file);
  assert.match(sav.summary, new RegExp(`Rows: ${stored.size}\\b`));
  assert.equal(sav.records.length, stored.size);
  assert.deepEqual(new Set(sav.records.map((c) => c.response_id)), new Set(stored.keys()));
  for (const record of sav.records) {
    const response = stored.get(record.response_id);
    assert.equal(record.suggestions, response.answers.suggestions);
    assert.equal(Number(record.household_size), response.answers.household_size);
    assert.equal(Number(record.help_source_csr), response.answers.help_source.includes('csr') ? 1 : 0);
  }
});

test('respondents are answered at once while a large export is being made', async () => {
  let finished = false;
  const xlsx = download('xlsx').then((r) => { finished = true; return r; });
  const waits = [];
  while (!finished) {
    const started = Date.now();
    const health = await request(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    waits.push(Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal((await xlsx).status, 200);
  assert.ok(Math.max(...waits) < 1000, `the longest wait for /healthz: ${Math.max(...waits)} ms`);
});

// Starts a download, takes its first bytes and hangs up.
function leaveHalfway(format) {
  return new Promise((resolve, reject) => {
    const req = httpGet(`${server.url}${exportPath}?format=${format}`, { headers: { cookie: coordinator.cookie } },
      (res) => {
        assert.equal(res.statusCode, 200);
        res.once('data', () => { req.destroy(); resolve(); });
      });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? resolve() : reject(e)));
  });
}

test('downloads the client leaves halfway stop, and the next download is whole', async () => {
  // More than the exports the server makes at once: had the left ones gone on waiting for a
  // reader, the later ones would be refused.
  for (let i = 0; i < 6; ++i) await leaveHalfway(i % 2 ? 'sav' : 'csv');
  let r;
  for (const until = Date.now() + 10000; Date.now() < until;) {
    r = await download('csv');
    if (r.status !== 503) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(r.status, 200);
  const [, ...rows] = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(r.bytes));
  assert.equal(rows.length, stored.size);
  assert.equal((await request(`${server.url}/healthz`)).status, 200);
  assert.doesNotMatch(server.stderr(), /streamed response failed|terminate/);
});

test('every download is in the audit log, and an unknown format is refused with 400', async () => {
  const r = await coordinator.get(`${exportPath}?format=pdf`);
  assert.equal(r.status, 400);
  const details = query(server.database, "SELECT details FROM audit_log WHERE action = 'export'", { json: true })
    .map((row) => row.details);
  for (const format of ['csv', 'xlsx', 'sav']) assert.ok(details.includes(`format=${format}`), format);
  assert.ok(!details.includes('format=pdf'));
});
