// Backups while the server runs: `needsmap backup` copies the live database while answers keep
// arriving through the API, `needsmap restore` puts the copy into a fresh database (another SQLite
// file, or a new PostgreSQL database in the PostgreSQL pass), and the restored database holds —
// and exports — every response the backup took exactly as the original does, at least all those
// acknowledged before the backup started.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid, binary } from '../lib/server.mjs';
import { postJson } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, countRows, query, isPostgres } from '../lib/database.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';
import { readCsv } from '../lib/csv.mjs';

const texts = ['ћирилица и latinica', '<script>alert(1)</script>', "'; DROP TABLE responses; --",
               'right\u202eto\u202cleft', 'ред 1\nред 2, "наводници"'];

let dir;
let live;
let restored;
let backupFile;
let backupRun;
// Every acknowledged response: id → { submission, sent, acknowledged }, where sent and
// acknowledged are the phase ('before', 'during' or 'after' the backup) of each.
const responses = new Map();

// Runs a needsmap command without blocking this process, so that the test's own submissions go
// on while it runs.
function runNeedsmap(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', reject);
    proc.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// `workers` clients that each send one response after another until `until()` says stop.
function submitters(url, phase, until, workers = 6) {
  const paths = apiPaths(url);
  let n = 0;
  const one = async () => {
    while (!until()) {
      const submission = uuid();
      const sent = phase();
      const suggestions = `${texts[n++ % texts.length]} ${'предлог '.repeat(150)}${submission}`;
      const r = await postJson(paths.responses, { submission_id: submission, answers: validAnswers({ suggestions }) });
      assert.equal(r.status, 201, r.text);
      responses.set(r.json.id, { submission, sent, acknowledged: phase() });
    }
  };
  return Promise.all(Array.from({ length: workers }, one));
}

const inPhase = (which) => [...responses.values()].filter((r) => r.acknowledged === which).length;

before(async () => {
  dir = temporaryDirectory('needsmap-backup-');
  live = freshDatabase(dir, 'live.db');
  backupFile = join(dir, 'needsmap-backup.db');
  const server = await startServer({ db: live });
  try {
    // Answers already there: enough of them that the backup takes more than a moment.
    let phase = 'before';
    await submitters(server.url, () => phase, () => responses.size >= 600);
    // Submissions go on before, during and after the backup.
    let stop = false;
    const running = submitters(server.url, () => phase, () => stop);
    while (inPhase('before') < 640) await new Promise((resolve) => setTimeout(resolve, 5));
    phase = 'during';
    backupRun = await runNeedsmap(['backup', '--db', live, '--out', backupFile]);
    phase = 'after';
    while (inPhase('after') < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    stop = true;
    await running;
  } finally {
    await server.stop();
  }
});

after(() => {
  if (restored) dropDatabase(restored);
  if (live) dropDatabase(live);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportOf(database, name) {
  const out = join(dir, name);
  const r = needsmap(['export', '--db', database, '--campaign', 'demo/citizens', '--format', 'csv', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return readCsv(out);
}

const rowsById = (database) => new Map(query(database, 'SELECT * FROM responses', { json: true }).map((r) => [r.id, r]));

test('needsmap backup runs while the server takes answers and writes one private file', (t) => {
  assert.equal(backupRun.status, 0, backupRun.stderr);
  assert.match(backupRun.stdout, /^backed up .* to .*needsmap-backup\.db \(schema version \d+\):$/m);
  for (const table of ['municipalities', 'questionnaire_versions', 'campaigns', 'responses', 'drafts']) {
    assert.match(backupRun.stdout, new RegExp(`^  ${table}\\t\\d+$`, 'm'), `${table} is reported`);
  }
  const during = [...responses.values()].filter((r) => r.sent === 'during' || r.acknowledged === 'during').length;
  t.diagnostic(`${during} answers were sent or acknowledged while the backup ran`);
  assert.ok(during > 0, 'answers were sent while the backup ran');
  assert.equal(statSync(backupFile).mode & 0o777, 0o600, 'only its owner may read a backup');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('needsmap-backup')), ['needsmap-backup.db'],
                   'no partial file or SQLite companion is left beside it');
  assert.equal(query(backupFile, 'PRAGMA integrity_check'), 'ok');
  assert.equal(query(backupFile, 'PRAGMA journal_mode'), 'delete', 'one file, no write-ahead log');
});

test('needsmap restore into a fresh database gives back exactly what the backup took', () => {
  restored = freshDatabase(dir, 'restored.db');
  const r = needsmap(['restore', '--from', backupFile, '--db', restored]);
  assert.equal(r.status, 0, r.stderr);
  const reported = Number(backupRun.stdout.match(/^ {2}responses\t(\d+)$/m)[1]);
  assert.match(r.stdout, new RegExp(`^  responses\\t${reported}$`, 'm'));
  assert.equal(countRows(restored), reported);

  const original = rowsById(live);
  const copy = rowsById(restored);
  for (const [id, row] of copy) assert.deepEqual(row, original.get(id), `response ${id} is restored as it was`);
  for (const [id, { sent, acknowledged }] of responses) {
    if (acknowledged === 'before') assert.ok(copy.has(id), `response ${id}, acknowledged before the backup, is restored`);
    if (sent === 'after') assert.ok(!copy.has(id), `response ${id}, sent after the backup, is not in it`);
  }
  assert.ok(copy.size < original.size, 'answers went on arriving after the backup');
  for (const table of ['municipalities', 'questionnaire_versions', 'campaigns']) {
    assert.deepEqual(query(restored, `SELECT * FROM ${table} ORDER BY id`, { json: true }),
                     query(live, `SELECT * FROM ${table} ORDER BY id`, { json: true }), table);
  }
});

test('the restored database exports every response it holds exactly as the original exports it', () => {
  const a = exportOf(live, 'live.csv');
  const b = exportOf(restored, 'restored.csv');
  assert.deepEqual(b.header, a.header);
  const exported = new Set(b.records.map((r) => r.response_id));
  for (const [id, { acknowledged }] of responses) {
    if (acknowledged === 'before') assert.ok(exported.has(id), `response ${id} is exported`);
  }
  assert.equal(b.records.length, countRows(restored));
  // The original's export, restricted to the responses the backup took, is the restored one:
  // the same rows, cell for cell, in the same order.
  assert.deepEqual(b.records, a.records.filter((r) => exported.has(r.response_id)));
  assert.ok(a.records.length > b.records.length);
});

test('restore refuses a database that already holds data and changes nothing', () => {
  const before = countRows(live);
  const r = needsmap(['restore', '--from', backupFile, '--db', live]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already holds data.*restore only into an empty database/);
  assert.equal(countRows(live), before);
});

test('backup refuses to replace an existing file unless --force is given', () => {
  const existing = join(dir, 'existing.db');
  writeFileSync(existing, 'an older backup');
  const refused = needsmap(['backup', '--db', live, '--out', existing]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /existing\.db already exists.*--force/);
  assert.equal(readFileSync(existing, 'utf8'), 'an older backup');
  const replaced = needsmap(['backup', '--db', live, '--out', existing, '--force']);
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.equal(query(existing, 'SELECT count(*) FROM responses'), String(countRows(live)));
});

test('restore refuses what is not a backup, and a backup of a newer needsmap', () => {
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'x'.repeat(4096));
  const target = join(dir, 'never.db');
  const bad = needsmap(['restore', '--from', notes, '--db', target]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /notes\.txt is not a needsmap backup/);

  const newer = join(dir, 'newer.db');
  writeFileSync(newer, readFileSync(backupFile));
  query(newer, 'PRAGMA user_version = 9999');
  const refused = needsmap(['restore', '--from', newer, '--db', target]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /made by a newer needsmap \(schema version 9999; this needsmap knows \d+\)/);
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('never.db')), 'no file is left where the restore would go');
});

test('a server on the restored database takes new answers and recognises the restored ones', async () => {
  const server = await startServer({ db: restored, demo: false });
  try {
    const paths = apiPaths(server.url);
    const [id, { submission }] = [...responses].find(([, r]) => r.acknowledged === 'before');
    const repeat = await postJson(paths.responses, { submission_id: submission, answers: validAnswers() });
    assert.equal(repeat.status, 200, repeat.text);
    assert.equal(repeat.json.id, id);
    const before = countRows(restored);
    const fresh = await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers() });
    assert.equal(fresh.status, 201, fresh.text);
    assert.equal(countRows(restored), before + 1);
  } finally {
    await server.stop();
  }
  if (!isPostgres(restored)) assert.equal(query(restored, 'PRAGMA integrity_check'), 'ok');
});
