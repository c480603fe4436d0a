// Anonymity by construction: what a respondent's browser reveals never reaches the database or
// the log, and a response row has no place to hold it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uuid } from '../lib/server.mjs';
import { request, postJson, hiddenField } from '../lib/http.mjs';
import { query, schemaText, tableColumns, tableNames, dump, storedData } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent } from '../lib/citizens.mjs';

const identifying = {
  'user-agent': 'Mozilla/5.0 (ZebraPhone; ZEBRA-AGENT-7731) NeedsmapProbe/9.9',
  referer: 'https://referrer.example/campaign?from=ZEBRA-REFERER-5521',
  cookie: 'tracking=ZEBRA-COOKIE-9917; _ga=GA1.2.ZEBRA-GA-4410',
  'x-forwarded-for': '203.0.113.77, 198.51.100.23',
  'x-real-ip': '192.0.2.60',
  forwarded: 'for=192.0.2.61;proto=https',
};
const secrets = ['ZEBRA-AGENT-7731', 'NeedsmapProbe', 'ZEBRA-REFERER-5521', 'referrer.example', 'ZEBRA-COOKIE-9917',
                 'ZEBRA-GA-4410', '203.0.113.77', '198.51.100.23', '192.0.2.60', '192.0.2.61', '127.0.0.1'];
const answerText = 'ZEBRA-ANSWER-3141 Треба нам више помоћи у кући';

let server;
let paths;
let questionnaire;
let draftToken;

before(async () => {
  server = await startServer();
  paths = apiPaths(server.url);
  questionnaire = (await request(paths.questionnaire)).json;

  // One response through the API and one through the pages, both with identifying headers.
  const api = await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers({ suggestions: answerText }) },
                             identifying);
  assert.equal(api.status, 201, api.text);
  const refused = await postJson(paths.responses, { submission_id: uuid(), answers: { suggestions: answerText } },
                                 identifying);
  assert.equal(refused.status, 422);

  const { cookie: _, ...withoutCookie } = identifying;
  const respondent = new Respondent(paths.page, questionnaire, { headers: withoutCookie });
  const start = await respondent.start();
  draftToken = hiddenField(start.text, '_draft');
  respondent.cookie = `${respondent.cookie}; ${identifying.cookie}`;
  const done = await respondent.finish(validAnswers({ suggestions: answerText }));
  assert.equal(done.status, 303);
});

after(async () => {
  await server?.stop();
});

// A default or an expression that reads the clock, in SQLite's or PostgreSQL's words.
const clock = /CURRENT_(TIME|DATE|TIMESTAMP)|LOCALTIME|datetime\(|strftime\(|unixepoch\(|julianday\(|'now'|\bnow\(|clock_timestamp|statement_timestamp|transaction_timestamp/i;

test('the responses table has no column for an address, a user agent, a cookie, a referrer or a time of day', () => {
  const schema = schemaText(server.database, 'responses');
  assert.match(schema, /CREATE TABLE (IF NOT EXISTS )?(public\.)?"?responses\b/);
  const columns = tableColumns(server.database, 'responses');
  assert.ok(columns.length >= 5);
  for (const c of columns) {
    assert.doesNotMatch(c.name, /(^|_)ip($|_)|addr|agent|browser|device|cookie|session|referr?er|forwarded|host|time|hour|minute|created|updated|_at$/i,
                        `column ${c.name}`);
    assert.doesNotMatch(c.default ?? '', /CURRENT/i, `column ${c.name} defaults to the clock`);
    assert.doesNotMatch(c.default ?? '', clock, `column ${c.name} defaults to the clock`);
  }
  assert.doesNotMatch(schema, clock);
  const date = columns.find((c) => c.name === 'submitted_on');
  assert.ok(date, 'the date of submission is kept');
  assert.equal(date.type, 'TEXT');
  // No table anywhere keeps addresses, agents, cookies or referrers.
  const tables = tableNames(server.database);
  assert.ok(tables.includes('responses') && tables.includes('drafts'), tables.join(' '));
  for (const name of tables) {
    for (const c of tableColumns(server.database, name)) {
      assert.doesNotMatch(c.name, /^ip$|ip_?addr|address|agent|cookie|referr?er|forwarded/i, `${name}.${c.name}`);
    }
  }
});

test('stored responses hold the answers but none of the headers, addresses or tokens the respondent sent, and only the date', () => {
  const rows = query(server.database, 'SELECT * FROM responses', { json: true });
  assert.equal(rows.length, 2);
  const today = new Date();
  const nearby = [-1, 0, 1].map((d) => new Date(today.getTime() + d * 86400000).toISOString().slice(0, 10));
  for (const row of rows) {
    const text = JSON.stringify(row);
    assert.ok(text.includes('ZEBRA-ANSWER-3141'), 'the answer itself is stored (so the search below can find text)');
    for (const s of secrets) assert.ok(!text.includes(s), `${s} in ${text}`);
    assert.ok(!text.includes(draftToken), 'the draft token is not stored');
    assert.match(row.submitted_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(nearby.includes(row.submitted_on), `${row.submitted_on} is about today`);
    assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
                 'the id is a random (v4) UUID, not one that encodes the time');
    for (const [column, value] of Object.entries(row)) {
      if (column === 'answers') continue;
      assert.doesNotMatch(String(value), /\d{1,2}:\d{2}/, `${column} holds no time of day`);
      if (typeof value === 'number') assert.ok(value < 1e9, `${column} = ${value} looks like a timestamp`);
    }
    const answers = JSON.parse(row.answers);
    assert.doesNotMatch(row.answers, /\d{1,2}:\d{2}|T\d{2}/, 'no time of day among the answers');
    assert.equal(answers.suggestions, answerText);
  }
  assert.deepEqual(rows.map((r) => r.mode).sort(), ['api', 'web']);
});

test('neither the database dump nor the database files contain the headers, addresses or draft token', (t) => {
  const text = dump(server.database);
  assert.ok(text.includes('ZEBRA-ANSWER-3141'), 'the dump holds the answers');
  for (const s of [...secrets, draftToken]) assert.ok(!text.includes(s), `${s} in the dump`);
  // SQLite: the database file and its -wal, -shm and -journal companions. PostgreSQL: pg_dump's
  // output, and this database's files and the write-ahead log when the cluster can be read.
  const stored = storedData(server.database);
  const onDisk = stored.filter((s) => s.onDisk);
  if (onDisk.length === 0) {
    t.diagnostic('the cluster\'s files could not be read (NEEDSMAP_TEST_POSTGRES_DATA): searched pg_dump\'s output only');
  }
  let found = false;
  for (const { source, read, onDisk: raw } of stored) {
    const bytes = read();
    if (raw || onDisk.length === 0) found ||= bytes.includes('ZEBRA-ANSWER-3141');
    for (const s of [...secrets, draftToken]) assert.ok(!bytes.includes(s), `${s} in ${source}`);
  }
  assert.ok(found, 'the raw files hold the answers');
});

test('the server writes neither answers nor client addresses nor headers to its output', async () => {
  // Stopping flushes everything the server would print.
  await server.stop();
  const output = `${server.stdout()}\n${server.stderr()}`;
  assert.match(output, /serving http:\/\/127\.0\.0\.1:/, 'the output was captured');
  for (const s of ['ZEBRA-ANSWER-3141', 'Треба нам више', ...secrets.filter((s) => s !== '127.0.0.1'), draftToken]) {
    assert.ok(!output.includes(s), `${s} in the server output`);
  }
  // The server's own address appears where it says where it serves; nowhere else may one.
  const otherLines = output.split('\n').filter((l) => !/serving http:|demo survey: http:|sign in at http:/.test(l));
  assert.ok(!otherLines.some((l) => l.includes('127.0.0.1')), `a client address in: ${otherLines.join('\n')}`);
});
