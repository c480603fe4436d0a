// Nothing accepted is lost: the server is SIGKILLed while 16 clients submit responses, and after a
// restart every response it acknowledged is there, once, whole, in a database that checks out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, temporaryDirectory, uuid } from '../lib/server.mjs';
import { postJson } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, query, integrityCheck } from '../lib/database.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';

const clients = 16;
const loadMilliseconds = 2000;

let dir;
let database;
const acknowledged = new Map(); // submission_id → response id, over all rounds
const sent = new Set(); // every submission_id ever sent

before(() => {
  dir = temporaryDirectory('needsmap-crash-');
  database = freshDatabase(dir, 'crash.db');
});

after(() => {
  if (database) dropDatabase(database);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The answers of one submission; the text answer names the submission so a row can be checked
// against what was sent for it.
function answersFor(submissionId) {
  return validAnswers({ suggestions: `crash test ${submissionId} — ћирилица, "quotes", commas` });
}

// Runs the clients until the server is killed `killAfter` ms after it acknowledged its first
// response. Counting from the first acknowledgement rather than from the start keeps the kill in
// the middle of the burst however slowly a loaded machine starts the server's work.
async function loadAndKill(server, killAfter) {
  const url = apiPaths(server.url).responses;
  const round = { acknowledged: 0, unexpected: [], inFlightAtKill: -1, cutOff: 0 };
  let inFlight = 0;
  let killed = false;
  let started = Date.now();
  let firstAcknowledged;
  const first = new Promise((resolve) => { firstAcknowledged = resolve; });
  let giveUpTimer;
  const giveUp = new Promise((resolve) => { giveUpTimer = setTimeout(resolve, 30000); });
  const timer = Promise.race([first, giveUp]).then(() => {
    clearTimeout(giveUpTimer);
    started = Date.now();
    return new Promise((resolve) => setTimeout(() => {
      round.inFlightAtKill = inFlight;
      killed = true;
      server.proc.kill('SIGKILL');
      resolve();
    }, killAfter));
  });

  async function client() {
    while (!killed && Date.now() - started < loadMilliseconds + 1000) {
      const submissionId = uuid();
      sent.add(submissionId);
      ++inFlight;
      let r;
      try {
        r = await postJson(url, { submission_id: submissionId, answers: answersFor(submissionId) });
      } catch {
        ++round.cutOff;
        return; // the server is gone
      } finally {
        --inFlight;
      }
      if (r.status === 201) {
        acknowledged.set(submissionId, r.json.id);
        ++round.acknowledged;
        firstAcknowledged();
      } else {
        round.unexpected.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  }

  await Promise.all([timer, ...Array.from({ length: clients }, client)]);
  const exit = await server.exited;
  return { ...round, exit };
}

function verifyDatabase() {
  assert.equal(integrityCheck(database), 'ok');
  const rows = query(database, 'SELECT id, submission_id, answers FROM responses', { json: true });
  const bySubmission = new Map();
  for (const row of rows) {
    assert.ok(!bySubmission.has(row.submission_id), `${row.submission_id} is stored twice`);
    bySubmission.set(row.submission_id, row);
    assert.ok(sent.has(row.submission_id), `${row.submission_id} was never sent`);
    let answers;
    assert.doesNotThrow(() => { answers = JSON.parse(row.answers); }, `${row.id} has readable answers`);
    const expected = answersFor(row.submission_id);
    for (const [name, value] of Object.entries(expected)) {
      assert.deepEqual(answers[name], value, `${row.id}: ${name} is whole`);
    }
  }
  const missing = [...acknowledged].filter(([sid, id]) => bySubmission.get(sid)?.id !== id);
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged responses are missing or changed`);
  assert.equal(Number(query(database, 'SELECT count(DISTINCT submission_id) FROM responses')), rows.length);
  return rows.length;
}

// Sends some acknowledged submissions again: each must be recognised, with the same id.
async function resubmit(server, count) {
  const url = apiPaths(server.url).responses;
  const sample = [...acknowledged].sort(() => Math.random() - 0.5).slice(0, count);
  for (const [submissionId, id] of sample) {
    const r = await postJson(url, { submission_id: submissionId, answers: answersFor(submissionId) });
    assert.equal(r.status, 200, `${submissionId}: ${r.text}`);
    assert.equal(r.json.id, id);
  }
}

for (const killAfter of [250, 1000, 1900]) {
  test(`every acknowledged response survives a SIGKILL ${killAfter} ms after the first of a burst of ${clients} concurrent clients, once and whole`,
       { timeout: 60000 }, async (t) => {
    const before = acknowledged.size;
    const server = await startServer({ db: database });
    let restarted;
    try {
      const round = await loadAndKill(server, killAfter);
      assert.equal(round.exit.signal, 'SIGKILL');
      assert.deepEqual(round.unexpected, [], 'every submission before the kill was accepted');
      assert.ok(round.acknowledged > 0, 'responses were acknowledged before the kill');
      assert.ok(round.inFlightAtKill > 0, 'the server was killed with requests in flight');
      assert.equal(acknowledged.size, before + round.acknowledged);

      // The database as the kill left it is sound before the server recovers it (SQLite: the
      // files as they are; PostgreSQL: the tables and indexes the killed server's sessions wrote).
      assert.equal(integrityCheck(database), 'ok');
      restarted = await startServer({ db: database });
      const stored = verifyDatabase();
      assert.ok(stored >= acknowledged.size);
      await resubmit(restarted, 50);
      assert.equal(verifyDatabase(), stored, 'sending again stores nothing new');
      t.diagnostic(`${round.acknowledged} acknowledged this round, ${round.inFlightAtKill} in flight at the kill ` +
                   `(${round.cutOff} cut off), ` +
                   `${stored} stored of ${sent.size} sent over all rounds`);
    } finally {
      if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
      await restarted?.stop();
    }
  });
}
