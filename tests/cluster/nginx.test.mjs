// Three needsmap servers share one PostgreSQL database behind nginx (round-robin, keepalive, no
// retry of a POST by nginx). Sixteen clients submit responses through nginx; one server is
// SIGKILLed mid-load; clients retry what was not acknowledged with the same submission_id, as a
// real client would. Every acknowledged response is then stored exactly once and whole, the
// surviving servers serve the same stored data, and a respondent's draft started on one server
// is finished on another. PostgreSQL only: needs NEEDSMAP_TEST_POSTGRES (scripts/postgres.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { postJson, request, hiddenField } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, query, integrityCheck, postgresBase } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent } from '../lib/citizens.mjs';
import { readCsv } from '../lib/csv.mjs';
import { startNginx, hostPort } from '../lib/cluster.mjs';

if (!postgresBase) {
  throw new Error('tests/cluster/nginx.test.mjs runs several servers on one PostgreSQL database: set ' +
                  'NEEDSMAP_TEST_POSTGRES to a cluster\'s base URL, e.g. postgresql://needsmap@127.0.0.1:PORT ' +
                  '(scripts/postgres.sh start DIR PORT starts one); it belongs to the PostgreSQL pass only');
}

const clients = 16;
const killAfterMilliseconds = 1500;
const loadMilliseconds = 3000;
// Attempts per submission: the first and up to four retries with the same submission_id.
const attempts = 5;

let dir;
let database;
let servers = [];
let nginx;
let killed; // the server that is SIGKILLed
let survivors = [];
let killedAt;
const sent = new Set(); // every submission_id sent
const acknowledged = new Map(); // submission_id → { id, status, attempt }

before(async () => {
  dir = temporaryDirectory('needsmap-cluster-');
  database = freshDatabase(dir);
  const migrated = needsmap(['migrate', '--db', database]);
  assert.equal(migrated.status, 0, `needsmap migrate: ${migrated.stderr}`);
  // All three start at once with --demo: each installs the demo campaigns in a transaction, and
  // the database serialises them (the demo municipality's row lock, UNIQUE constraints).
  servers = await Promise.all([0, 1, 2].map(() => startServer({ db: database, demo: true })));
  nginx = await startNginx({ dir, upstreams: servers.map((s) => hostPort(s.url)) });
});

after(async () => {
  await nginx?.stop();
  await Promise.all(servers.map((s) => s.stop()));
  if (database) dropDatabase(database);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The answers of one submission; the text answer names it, so that a row can be checked against
// what was sent for its submission_id.
function answersFor(submissionId) {
  return validAnswers({ suggestions: `cluster test ${submissionId} — ћирилица, "quotes", commas` });
}

const retryable = (status) => status === 502 || status === 503 || status === 504;

test(`${clients} clients through nginx to three servers on one database; one server SIGKILLed mid-load: ` +
     'every acknowledged response is stored exactly once and whole', { timeout: 60000 }, async (t) => {
  const url = apiPaths(nginx.url).responses;
  const stats = { retried: 0, recoveredAs200: 0, connectionErrors: 0, gaveUp: 0, statuses: {} };
  const unexpected = [];
  let stop = false;
  const started = Date.now();

  // Kill one server, chosen at random, mid-load.
  const victim = Math.floor(Math.random() * servers.length);
  const killer = new Promise((resolve) => setTimeout(() => {
    killedAt = Date.now();
    killed = servers[victim];
    survivors = servers.filter((s) => s !== killed);
    killed.proc.kill('SIGKILL');
    resolve();
  }, killAfterMilliseconds));

  async function submit(submissionId) {
    for (let attempt = 1; attempt <= attempts; ++attempt) {
      let r;
      try {
        r = await postJson(url, { submission_id: submissionId, answers: answersFor(submissionId) });
      } catch {
        ++stats.connectionErrors;
      }
      if (r) stats.statuses[r.status] = (stats.statuses[r.status] ?? 0) + 1;
      if (r && (r.status === 201 || r.status === 200)) {
        assert.equal(typeof r.json?.id, 'string', `${submissionId}: ${r.text}`);
        acknowledged.set(submissionId, { id: r.json.id, status: r.status, attempt });
        if (r.status === 200) ++stats.recoveredAs200;
        return;
      }
      if (r && !retryable(r.status)) {
        unexpected.push(`${r.status} ${r.text.slice(0, 200)}`);
        return;
      }
      ++stats.retried;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
    ++stats.gaveUp;
  }

  async function client() {
    while (!stop && Date.now() - started < loadMilliseconds) {
      const submissionId = uuid();
      sent.add(submissionId);
      await submit(submissionId);
    }
  }

  await Promise.all([killer, ...Array.from({ length: clients }, client)]);
  stop = true;
  const exit = await killed.exited;
  assert.equal(exit.signal, 'SIGKILL');
  assert.deepEqual(unexpected, [], 'nothing but 201, 200 and, around the kill, 502/503/504 or a broken connection');
  assert.equal(stats.gaveUp, 0, 'every submission was acknowledged within its retries');
  assert.ok(acknowledged.size > 100, `responses were acknowledged: ${acknowledged.size}`);

  // The database as the load left it: sound, one row per submission_id, every row whole.
  assert.equal(integrityCheck(database), 'ok');
  const duplicates = query(database, 'SELECT submission_id, count(*) AS n FROM responses ' +
                                     'GROUP BY campaign_id, submission_id HAVING count(*) > 1', { json: true });
  assert.deepEqual(duplicates, [], 'no submission_id is stored twice');
  const rows = query(database, "SELECT id, submission_id, answers FROM responses WHERE mode = 'api'", { json: true });
  const bySubmission = new Map();
  for (const row of rows) {
    assert.ok(!bySubmission.has(row.submission_id), `${row.submission_id} is stored twice`);
    bySubmission.set(row.submission_id, row);
    assert.ok(sent.has(row.submission_id), `${row.submission_id} was never sent`);
    let answers;
    assert.doesNotThrow(() => { answers = JSON.parse(row.answers); }, `${row.id} has readable answers`);
    for (const [name, value] of Object.entries(answersFor(row.submission_id))) {
      assert.deepEqual(answers[name], value, `${row.id}: ${name} is whole`);
    }
  }
  const wrong = [...acknowledged].filter(([sid, ack]) => bySubmission.get(sid)?.id !== ack.id);
  assert.deepEqual(wrong.slice(0, 5).map(([sid, ack]) => ({ sid, ...ack, stored: bySubmission.get(sid)?.id })), [],
                   `${wrong.length} acknowledged responses are missing or stored under another id`);
  // Every submission was retried until acknowledged, so every row is an acknowledged one.
  assert.equal(rows.length, acknowledged.size);

  // Before the kill, nginx passed requests to all three servers (its access log, test machine only).
  const log = nginx.accessLog().filter((e) => e.method === 'POST' && e.path.endsWith('/responses'));
  const beforeKill = log.filter((e) => e.time < killedAt);
  const served = new Map(servers.map((s) => [hostPort(s.url), 0]));
  for (const e of beforeKill) {
    const last = e.upstreams.at(-1);
    if (served.has(last)) served.set(last, served.get(last) + 1);
  }
  for (const [upstream, n] of served) {
    assert.ok(n >= 10, `before the kill nginx sent ${n} submissions to ${upstream}: ${JSON.stringify([...served])}`);
  }
  // nginx tried a second server only after the first refused the connection: always the killed one.
  const passedOn = log.filter((e) => e.upstreams.length > 1);
  for (const e of passedOn) {
    assert.deepEqual(e.upstreams.slice(0, -1).filter((u) => u !== hostPort(killed.url)), [],
                     `a POST was passed on from a live server: ${JSON.stringify(e)}`);
  }
  const afterKill = log.filter((e) => e.time > killedAt + 200 && e.upstreams.at(-1) === hostPort(killed.url));
  assert.deepEqual(afterKill.filter((e) => e.status < 500), [], 'nothing is answered by the killed server after it died');

  t.diagnostic(`killed server ${victim + 1} of 3 after ${killAfterMilliseconds} ms; ` +
               `${sent.size} submissions, ${acknowledged.size} acknowledged, ${rows.length} rows; ` +
               `statuses seen ${JSON.stringify(stats.statuses)}, ${stats.connectionErrors} connection errors, ` +
               `${stats.retried} retries, ${stats.recoveredAs200} acknowledged as 200 on a retry ` +
               '(stored by a first attempt whose answer was lost); ' +
               `before the kill per server ${JSON.stringify(Object.fromEntries(served))}; ` +
               `${passedOn.length} POSTs passed on by nginx after a refused connection`);
});

test('the surviving servers serve the same stored data, and the export holds every acknowledged response once',
     { timeout: 30000 }, async () => {
  assert.equal(survivors.length, 2, 'the load test ran and killed one server');
  const [a, b] = survivors;

  // What each server reads from the database: the questionnaire (stored questionnaire version and
  // campaign) and the home page (the municipality and its campaigns), byte for byte.
  for (const path of [apiPaths('').questionnaire, '/', apiPaths('').page]) {
    const fromA = await request(a.url + path);
    const fromB = await request(b.url + path);
    const throughNginx = await request(nginx.url + path);
    assert.equal(fromA.status, 200, `${path} from ${a.url}`);
    assert.equal(fromB.text, fromA.text, `${path} is the same from both servers`);
    assert.equal(throughNginx.text, fromA.text, `${path} is the same through nginx`);
  }

  // Each survivor knows every stored response, whichever server stored it: sending an
  // acknowledged submission again to either gives 200 and the same id, and stores nothing.
  const rowsBefore = Number(query(database, 'SELECT count(*) FROM responses'));
  const sample = [...acknowledged].sort(() => Math.random() - 0.5).slice(0, 30);
  for (const server of survivors) {
    for (const [submissionId, ack] of sample) {
      const r = await postJson(apiPaths(server.url).responses,
                               { submission_id: submissionId, answers: answersFor(submissionId) });
      assert.equal(r.status, 200, `${server.url}, ${submissionId}: ${r.text}`);
      assert.equal(r.json.id, ack.id);
    }
  }
  assert.equal(Number(query(database, 'SELECT count(*) FROM responses')), rowsBefore, 'sending again stores nothing');

  // The export from the database: every acknowledged response once, with its id; the same bytes
  // when exported twice.
  const files = [join(dir, 'export-1.csv'), join(dir, 'export-2.csv')];
  for (const file of files) {
    const r = needsmap(['export', '--db', database, '--campaign', 'demo/citizens', '--format', 'csv', '--out', file]);
    assert.equal(r.status, 0, r.stderr);
  }
  assert.ok(readFileSync(files[0]).equals(readFileSync(files[1])), 'two exports are byte for byte the same');
  const { records } = readCsv(files[0]);
  const exported = new Map();
  for (const record of records) {
    assert.ok(!exported.has(record.response_id), `${record.response_id} is exported twice`);
    exported.set(record.response_id, record);
  }
  assert.equal(records.length, rowsBefore);
  for (const [submissionId, ack] of acknowledged) {
    assert.equal(exported.get(ack.id)?.suggestions, answersFor(submissionId).suggestions,
                 `${ack.id} is exported with its answers`);
  }
});

test('a respondent\'s draft started on one server is continued and sent on another', { timeout: 30000 }, async () => {
  assert.equal(survivors.length, 2, 'the load test ran and killed one server');
  const [a, b] = survivors;
  const questionnaire = (await request(apiPaths(a.url).questionnaire)).json;
  const answers = validAnswers({ suggestions: 'started on one server, sent from another' });
  const draftsBefore = Number(query(database, 'SELECT count(*) FROM drafts'));

  // Start and answer the first page on A.
  const respondent = new Respondent(apiPaths(a.url).page, questionnaire);
  const start = await respondent.start();
  assert.equal(start.status, 200);
  assert.ok(respondent.cookie, 'the draft cookie is set');
  const first = hiddenField(start.text, '_page');
  const next = await respondent.post(respondent.fieldsForPage(answers));
  assert.equal(next.status, 200, 'the first page is accepted on A');
  const second = hiddenField(next.text, '_page');
  assert.notEqual(second, first);
  assert.equal(Number(query(database, 'SELECT count(*) FROM drafts')), draftsBefore + 1, 'the draft is in the database');

  // B shows the page the draft is at, with what was answered on A (the language switch's link).
  const shown = await request(`${apiPaths(b.url).page}?page=${second}`, { headers: { cookie: respondent.cookie } });
  assert.equal(shown.status, 200);
  assert.equal(hiddenField(shown.text, '_page'), second, 'B finds the draft A saved');
  assert.equal(hiddenField(shown.text, '_draft'), hiddenField(next.text, '_draft'));

  // Going back on B shows the first page with A's answers in it; then the rest is answered on B.
  respondent.pageUrl = apiPaths(b.url).page;
  const back = await respondent.post([], 'back');
  assert.equal(back.status, 200);
  assert.equal(hiddenField(back.text, '_page'), first);
  assert.match(back.text, new RegExp(`value="${answers.age_band}" checked`), 'B shows the answer given on A');
  const done = await respondent.finish(answers);
  assert.equal(done.status, 303);
  assert.match(done.headers.get('location'), /\/thanks/);
  assert.ok(respondent.responses.slice(3).every((r) => r.url.startsWith(b.url)), 'everything after the start went to B');

  const rows = query(database, "SELECT answers FROM responses WHERE mode = 'web'", { json: true });
  assert.equal(rows.length, 1, 'the response is stored once');
  const stored = JSON.parse(rows[0].answers);
  for (const name of ['age_band', 'sex', 'household_size', 'suggestions', 'services_known']) {
    assert.deepEqual(stored[name], answers[name], `${name} as answered`);
  }
  assert.equal(Number(query(database, 'SELECT count(*) FROM drafts')), draftsBefore, 'the draft is gone');
});
