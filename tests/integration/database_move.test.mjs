// Moving up: a municipality that started on the embedded SQLite file moves everything to another
// database (PostgreSQL in the PostgreSQL pass, another SQLite file otherwise) with `needsmap db
// copy`; both then export byte for byte the same, and a server on the copy goes on taking answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, countRows, query, isPostgres } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent } from '../lib/citizens.mjs';

let dir;
let source;
let target;
const submitted = new Map(); // submission_id → response id

before(async () => {
  dir = temporaryDirectory('needsmap-move-');
  source = join(dir, 'municipality.db');
  target = freshDatabase(dir, 'moved.db');
  const server = await startServer({ db: source });
  try {
    const paths = apiPaths(server.url);
    const texts = ['ћирилица и latinica', '<script>alert(1)</script>', "'; DROP TABLE responses; --",
                   'right\u202eto\u202cleft', 'ред 1\nред 2, "наводници"'];
    for (const suggestions of texts) {
      const submission = uuid();
      const r = await postJson(paths.responses, { submission_id: submission, answers: validAnswers({ suggestions }) });
      assert.equal(r.status, 201, r.text);
      submitted.set(submission, r.json.id);
    }
    // An unfinished questionnaire moves too: its respondent can go on after the move.
    const questionnaire = (await request(paths.questionnaire)).json;
    const respondent = new Respondent(`${server.url}/s/demo/citizens`, questionnaire);
    const start = await respondent.start();
    assert.equal(start.status, 200);
  } finally {
    await server.stop();
  }
});

after(() => {
  if (target) dropDatabase(target);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportOf(database, name) {
  const out = join(dir, name);
  const r = needsmap(['export', '--db', database, '--campaign', 'demo/citizens', '--format', 'csv', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

test('db copy moves every table and both databases export the same bytes', () => {
  const copied = needsmap(['db', 'copy', '--from', source, '--to', target]);
  assert.equal(copied.status, 0, copied.stderr);
  for (const table of ['municipalities', 'questionnaire_versions', 'campaigns', 'responses', 'drafts']) {
    assert.match(copied.stdout, new RegExp(`\\b${table}\\t\\d+`), `${table} is reported`);
  }
  assert.match(copied.stdout, /responses\t5\b/);
  for (const table of ['municipalities', 'questionnaire_versions', 'campaigns', 'responses', 'drafts']) {
    assert.equal(countRows(target, table), countRows(source, table), table);
  }
  const rows = (db) => query(db, 'SELECT id, submission_id, submitted_on, mode, language, answers FROM responses', { json: true })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  assert.deepEqual(rows(target), rows(source));
  for (const [submission, id] of submitted) {
    assert.ok(rows(target).some((r) => r.submission_id === submission && r.id === id));
  }
  const a = exportOf(source, 'source.csv');
  const b = exportOf(target, 'target.csv');
  assert.ok(a.length > 500);
  assert.ok(a.equals(b), 'the two exports are byte for byte the same');
});

test('copying into a database that already holds data is refused and changes nothing', () => {
  const before = countRows(target);
  const again = needsmap(['db', 'copy', '--from', source, '--to', target]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds data.*empty database/);
  assert.equal(countRows(target), before);
});

test('a server on the copy takes new answers, numbered after the copied rows, and keeps the old ones idempotent', async () => {
  const migrated = needsmap(['migrate', '--db', target]);
  assert.equal(migrated.status, 0, migrated.stderr);
  assert.match(migrated.stdout, /schema version \d+, up to date/);
  const server = await startServer({ db: target, demo: false });
  try {
    const paths = apiPaths(server.url);
    const [first, firstId] = [...submitted][0];
    const repeat = await postJson(paths.responses, { submission_id: first, answers: validAnswers() });
    assert.equal(repeat.status, 200, 'a submission stored before the move is recognised after it');
    assert.equal(repeat.json.id, firstId);
    const fresh = await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers() });
    assert.equal(fresh.status, 201, fresh.text);
    assert.equal(countRows(target), submitted.size + 1);
    // A campaign created after the move gets a new number rather than colliding with a copied one.
    const created = needsmap(['campaign', 'create', '--db', target, '--municipality', 'demo', '--campaign', 'after-move',
                              '--questionnaire', 'users']);
    assert.equal(created.status, 0, created.stderr);
    const ids = query(target, 'SELECT id FROM campaigns ORDER BY id', { json: true }).map((r) => Number(r.id));
    assert.equal(new Set(ids).size, ids.length);
  } finally {
    await server.stop();
  }
});

test('migrate reports what it did and db copy explains bad locations', () => {
  const empty = freshDatabase(dir, 'empty.db');
  try {
    const first = needsmap(['migrate', '--db', empty]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /schema version 0 → \d+/);
  } finally {
    dropDatabase(empty);
  }
  const nowhere = needsmap(['db', 'copy', '--from', source, '--to', 'postgresql://nobody@127.0.0.1:1/none']);
  assert.equal(nowhere.status, 1);
  assert.match(nowhere.stderr, /cannot connect to database postgresql:\/\/nobody@127\.0\.0\.1:1\/none/);
});

test('a server refuses to start on a database whose schema is newer than it knows', () => {
  const newer = freshDatabase(dir, 'newer.db');
  try {
    assert.equal(needsmap(['migrate', '--db', newer]).status, 0);
    query(newer, isPostgres(newer) ? 'UPDATE needsmap_schema SET version = 9999' : 'PRAGMA user_version = 9999');
    const r = needsmap(['serve', '--db', newer, '--port', '0'], { timeout: 30000 });
    assert.equal(r.status, 1, `serve exited ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /schema version 9999, newer than the \d+ this needsmap knows/);
  } finally {
    dropDatabase(newer);
  }
});
