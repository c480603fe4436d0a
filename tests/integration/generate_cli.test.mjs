// `needsmap generate responses`: made-up responses stored in a demo campaign as imported ones,
// the same for the same seed, readable through the export; a campaign that does not exist is a
// clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory } from '../lib/server.mjs';
import { freshDatabase, dropDatabase, countRows, query } from '../lib/database.mjs';
import { readCsv } from '../lib/csv.mjs';

// A database as the demo sets it up: municipality "demo", its campaigns and its made-up
// population table; removed after the test.
async function demoDatabase(t) {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'generated.db');
  t.after(() => { dropDatabase(db); rmSync(dir, { recursive: true, force: true }); });
  const server = await startServer({ db });
  await server.stop();
  return { dir, db };
}

test('generated responses fill the demo campaign, export as CSV and import back unchanged', async (t) => {
  const { dir, db } = await demoDatabase(t);

  const generate = (...args) =>
    needsmap(['generate', 'responses', '--db', db, '--campaign', 'demo/citizens', ...args]);
  // Under the sanitizers every response costs ten times as much: a third of them will do.
  const count = process.env.NEEDSMAP_SANITIZED ? 1000 : 3000;
  const made = generate('--count', String(count), '--seed', '11');
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, new RegExp(`generated ${count} responses to citizens .*seed 11, profile web-skewed.*${count} stored, 0 already stored`));
  assert.doesNotMatch(made.stdout, /failed validation/);
  assert.equal(countRows(db, 'responses', "WHERE mode = 'import'"), count);
  const languages = Object.fromEntries(query(db, 'SELECT language, count(*) AS n FROM responses GROUP BY language', { json: true })
    .map((r) => [r.language, r.n]));
  assert.ok(languages['sr-Cyrl'] > count * 2 / 3, JSON.stringify(languages));
  assert.ok(languages['sr-Latn'] > count / 30, JSON.stringify(languages));
  const days = query(db, 'SELECT DISTINCT submitted_on FROM responses', { json: true }).map((r) => r.submitted_on);
  assert.ok(days.length > 5, 'spread over the campaign\'s days');
  assert.ok(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)), 'a date, never a time');

  // The same seed again: the same submissions, nothing new.
  const again = generate('--count', String(count), '--seed', '11');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`0 stored, ${count} already stored`));
  const population = generate('--count', '500', '--seed', '12', '--profile', 'population');
  assert.equal(population.status, 0, population.stderr);
  assert.doesNotMatch(population.stdout, /no population table/);
  assert.equal(countRows(db, 'responses'), count + 500);

  // The export reads back: a row per response, and its answers import again without a rejection.
  const exported = join(dir, 'citizens.csv');
  const wrote = needsmap(['export', '--db', db, '--campaign', 'demo/citizens', '--format', 'csv', '--out', exported]);
  assert.equal(wrote.status, 0, wrote.stderr);
  assert.match(wrote.stdout, new RegExp(`exported ${count + 500} responses`));
  const { header, records } = readCsv(exported);
  assert.equal(records.length, count + 500);
  for (const column of ['age_band', 'sex', 'settlement', 'risk_factors/remoteness', 'top_services/1']) {
    assert.ok(header.includes(column), column);
  }
  const young = records.filter((r) => r.age_band === '18_29').length / records.length;
  assert.ok(young > 0.2, `the web over-represents the young: ${young}`);
  const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'demo', '--campaign', 'copy',
                            '--questionnaire', 'citizens']);
  assert.equal(created.status, 0, created.stderr);
  const back = needsmap(['import', 'responses', '--db', db, '--campaign', 'demo/copy', '--csv', exported]);
  assert.equal(back.status, 0, back.stderr + back.stdout);
  assert.match(back.stdout, new RegExp(`${count + 500} rows, 0 rejected, ${count + 500} stored`));
});

test('a campaign that does not exist, or a bad count or profile, fails with a clear message', async (t) => {
  const { db } = await demoDatabase(t);

  const missing = needsmap(['generate', 'responses', '--db', db, '--campaign', 'demo/nothing', '--count', '10']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no campaign demo\/nothing/);
  const malformed = needsmap(['generate', 'responses', '--db', db, '--campaign', 'citizens', '--count', '10']);
  assert.equal(malformed.status, 1);
  assert.match(malformed.stderr, /--campaign must be MUNICIPALITY\/CAMPAIGN/);
  const zero = needsmap(['generate', 'responses', '--db', db, '--campaign', 'demo/citizens', '--count', '0']);
  assert.equal(zero.status, 1);
  assert.match(zero.stderr, /--count must be at least 1/);
  const profile = needsmap(['generate', 'responses', '--db', db, '--campaign', 'demo/citizens', '--count', '5',
                            '--profile', 'census']);
  assert.notEqual(profile.status, 0);
  assert.match(profile.stderr, /profile/);
  assert.equal(countRows(db, 'responses'), 0);
});
