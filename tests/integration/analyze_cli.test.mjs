// `needsmap analyze`: weighted shares with intervals from the stored responses, raked to a
// margins file; errors a user can act on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { postJson } from '../lib/http.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';

let server;
let dir;

// Too urban: six urban respondents (three women, three men), two rural women.
const people = [
  ...Array.from({ length: 3 }, () => ({ settlement: 'urban', sex: 'female' })),
  ...Array.from({ length: 3 }, () => ({ settlement: 'urban', sex: 'male' })),
  ...Array.from({ length: 2 }, () => ({
    settlement: 'rural', sex: 'female', travel_time: '30_60', public_transport: 'rarely',
  })),
];

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
  const paths = apiPaths(server.url);
  for (const person of people) {
    const r = await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers(person) });
    assert.equal(r.status, 201, r.text);
  }
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function margins(name, text) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function analyze(...args) {
  return needsmap(['analyze', '--db', server.database, '--campaign', 'demo/citizens', ...args]);
}

function analyzeJson(...args) {
  const r = analyze(...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const row = (out, category, group) =>
  out.estimates.find((e) => e.category === category && (group === undefined || e.group === group));

test('unweighted shares come with standard errors, logit intervals and flags', () => {
  const out = analyzeJson('--question', 'settlement');
  assert.equal(out.responses, 8);
  assert.equal(out.weights, 'none');
  assert.match(out.note, /not a probability sample/);
  const urban = row(out, 'urban');
  assert.equal(urban.estimate, 0.75);
  assert.equal(urban.count, 6);
  assert.equal(urban.n, 8);
  assert.ok(Math.abs(urban.se - Math.sqrt(0.75 * 0.25 / 7)) < 1e-12);
  assert.ok(urban.ci_low < 0.75 && urban.ci_high > 0.75 && urban.ci_high < 1);
  assert.equal(urban.low_n_eff, true, 'eight respondents are fewer than 30');
  for (const key of ['se', 'ci_low', 'ci_high', 'n_eff', 'deff', 'high_rse']) assert.ok(key in urban, key);
});

test('raking to margins reweights every answer and reports how it went', () => {
  const file = margins('settlement.csv', 'variable,category,population\n"settlement","urban",500\n"settlement","rural",500\n');
  const out = analyzeJson('--question', 'sex', '--margins', file);
  assert.equal(out.weights, 'raked');
  assert.equal(out.weighting.converged, true);
  assert.ok(out.weighting.effective_n < 8);
  // Urban respondents weigh 500/6 each, rural 250: women are 3·500/6 + 2·250 = 750 of 1000.
  assert.ok(Math.abs(row(out, 'female').estimate - 0.75) < 1e-9);
  const settled = analyzeJson('--question', 'settlement', '--margins', file);
  assert.ok(Math.abs(row(settled, 'urban').estimate - 0.5) < 1e-9);
  assert.ok(row(settled, 'urban').se < 1e-9, 'a raked margin is known without error');
});

test('shares by group', () => {
  const out = analyzeJson('--question', 'sex', '--by', 'settlement');
  assert.equal(out.by, 'settlement');
  assert.equal(row(out, 'female', 'rural').estimate, 1);
  assert.equal(row(out, 'male', 'rural').estimate, 0);
  assert.equal(row(out, 'male', 'urban').estimate, 0.5);
  assert.equal(row(out, 'male', 'urban').n, 6);
});

test('a multiple choice as shares of respondents', () => {
  const out = analyzeJson('--question', 'risk_factors');
  assert.equal(row(out, 'poverty').estimate, 1);
  assert.equal(row(out, 'debt').estimate, 1);
  assert.equal(row(out, 'poverty').n, 8);
});

test('means of numbers, and of a scale with --mean', () => {
  const out = analyzeJson('--question', 'household_size', '--by', 'settlement');
  assert.equal(out.statistic, 'mean');
  assert.equal(out.estimates.find((e) => e.group === 'urban').estimate, 4);
  assert.equal(out.estimates.find((e) => e.group === 'urban').n, 6);
  const scale = analyzeJson('--question', 'income_adequacy', '--mean');
  assert.equal(scale.estimates.length, 1);
  assert.ok(scale.estimates[0].estimate >= 1);
});

test('a plain table without --json', () => {
  const r = analyze('--question', 'settlement');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /urban\t75\.0%/);
  assert.match(r.stdout, /n_eff<30/);
});

test('errors say what is wrong', () => {
  const nobody = margins('sex.csv', 'variable,category,population\nsex,female,400\nsex,male,400\nsex,prefer_not_to_say,200\n');
  let r = analyze('--question', 'settlement', '--margins', nobody);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nobody in the sample has prefer_not_to_say/);

  const settlement = margins('s.csv', 'variable,category,population\nsettlement,urban,500\nsettlement,rural,500\n');
  r = analyze('--question', 'settlement', '--margins', settlement, '--max-weight', '1');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /raking did not converge/);

  r = analyze('--question', 'settlement', '--by', 'household_size');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /household_size is not a single choice question/);

  r = analyze('--question', 'nothing_like_this');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no question nothing_like_this/);
});

test('margins the questionnaire does not ask about are named, and the stored table can be used', () => {
  const file = margins('with-education.csv', 'variable,category,population\nsettlement,urban,500\nsettlement,rural,500\neducation,any,1000\n');
  const out = analyzeJson('--question', 'settlement', '--margins', file);
  assert.deepEqual(out.weighting.margins, ['settlement']);
  assert.deepEqual(out.weighting.not_asked, ['education']);
  assert.equal(out.weighting.left_out, 0);
  // The demo municipality's made-up table has age bands nobody here is in.
  const r = analyze('--question', 'settlement', '--population');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /margin age_band: nobody in the sample has 18_29/);
});
