// Weighting to the population: the demo municipality comes with a made-up population table
// (marked as such); estimates with weights=raked reproduce its margins, agree with a raking done
// here independently, and leave out respondents the table has no population for. A coordinator
// replaces the table from a CSV file — a broken one is refused line by line, in Serbian, and
// changes nothing — and a joint table (age_band*sex) post-stratifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { unescapeHtml } from '../lib/http.mjs';
import { submitAll } from '../lib/citizens.mjs';
import { signedInSessions } from '../lib/admin.mjs';
import { query } from '../lib/database.mjs';

let server;
let sessions;
const estimates = (q) => `/api/v1/campaigns/demo/citizens/estimates?${q}`;
const populationPage = '/admin/m/demo/population';
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

const ages = ['18_29', '30_44', '45_64', '65_79', '80_plus'];
const demoMargins = {
  age_band: { '18_29': 2600, '30_44': 3700, '45_64': 5900, '65_79': 3900, '80_plus': 1300 },
  sex: { female: 9050, male: 8350 },
  settlement: { urban: 8700, rural: 8700 },
};

// A sample shaped like an open web survey: young and urban over-represented. Every age, sex and
// settlement type occurs; three would rather not say their sex and are left out of weighting.
const plan = [];
for (let i = 0; i < 90; ++i) {
  const age = ages[[0, 0, 0, 1, 1, 1, 2, 2, 3, 4][i % 10]];
  const sex = i % 3 === 0 ? 'male' : 'female';
  const settlement = i % 4 === 0 ? 'rural' : 'urban';
  const disability = (i * 7) % 5 === 0 || age === '80_plus' ? 'yes' : 'no';
  plan.push({ age_band: age, sex, settlement, hh_disability: disability });
}
for (let i = 0; i < 3; ++i) plan.push({ age_band: '30_44', sex: 'prefer_not_to_say', settlement: 'urban', hh_disability: 'no' });
const withFollowUps = (a) => ({
  ...a,
  ...(a.settlement === 'rural' ? { travel_time: '30_60', public_transport: 'rarely' } : {}),
  ...(a.hh_disability === 'yes' ? { hh_disability_who: ['adult'], hh_disability_kind: ['mobility'], home_care_interest: 'maybe' } : {}),
});

// Raking done here, independently of the server: iterative proportional fitting from weights 1.
function rake(rows, margins) {
  const w = rows.map(() => 1);
  for (let pass = 0; pass < 500; ++pass) {
    let change = 0;
    for (const [variable, population] of Object.entries(margins)) {
      const totals = {};
      rows.forEach((r, i) => { totals[r[variable]] = (totals[r[variable]] ?? 0) + w[i]; });
      rows.forEach((r, i) => {
        const next = w[i] * population[r[variable]] / totals[r[variable]];
        change = Math.max(change, Math.abs(next - w[i]) / w[i]);
        w[i] = next;
      });
    }
    if (change < 1e-12) break;
  }
  return w;
}

function weightedShare(rows, w, question, category) {
  let chosen = 0, all = 0;
  rows.forEach((r, i) => { all += w[i]; if (r[question] === category) chosen += w[i]; });
  return chosen / all;
}

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['analyst', 'coordinator']);
  await submitAll(server.url, plan.map(withFollowUps));
});

after(async () => {
  await server?.stop();
});

test('the demo municipality has a population table marked as made up', async () => {
  const r = await sessions.coordinator.get(`${populationPage}?lang=sr-Cyrl`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /измишљени подаци/);
  assert.match(page, /age_band .* 65_79 3900 .* 17400/);
  assert.equal(query(server.database, 'SELECT demo FROM population_tables'), '1');
});

test('raked estimates reproduce the margins and agree with an independent raking', async () => {
  const r = await sessions.analyst.get(estimates('question=settlement&weights=raked'));
  assert.equal(r.status, 200, r.text);
  const body = r.json;
  assert.equal(body.weights, 'raked');
  assert.deepEqual(body.weighting.margins, ['age_band', 'settlement', 'sex']);
  assert.equal(body.weighting.left_out, 3, 'those who would rather not say their sex');
  assert.equal(body.weighting.demo, true);
  assert.equal(body.weighting.converged, true);
  assert.equal(body.responses, 90);
  for (const row of body.estimates) {
    // A margin the weights were raked to is known exactly.
    assert.ok(Math.abs(row.estimate - 0.5) < 1e-9, `${row.category}: ${row.estimate}`);
    assert.ok(row.se < 1e-9, `${row.category}: se ${row.se}`);
  }

  const weighted = plan.filter((a) => a.sex !== 'prefer_not_to_say');
  const w = rake(weighted, demoMargins);
  const disability = (await sessions.analyst.get(estimates('question=hh_disability&weights=raked'))).json;
  const yes = disability.estimates.find((e) => e.category === 'yes');
  const expected = weightedShare(weighted, w, 'hh_disability', 'yes');
  assert.ok(Math.abs(yes.estimate - expected) < 1e-9 * expected, `${yes.estimate} vs ${expected}`);
  assert.ok(yes.se > 0 && yes.ci_low < yes.estimate && yes.estimate < yes.ci_high);
  assert.ok(yes.n_eff < 90, 'weights cost precision');

  const unweighted = (await sessions.analyst.get(estimates('question=hh_disability'))).json;
  const plain = unweighted.estimates.find((e) => e.category === 'yes');
  assert.notEqual(plain.estimate.toFixed(6), yes.estimate.toFixed(6), 'weighting moves the estimate');
  assert.equal(unweighted.weighting, undefined);
});

test('a broken table is refused line by line in Serbian and changes nothing', async () => {
  const before = query(server.database, 'SELECT count(*) FROM population_margins');
  const csv = 'variable,category,population\nage_band,18_29,много\nsex,female,-4\nsex,female,10\n';
  const r = await sessions.coordinator.upload(`${populationPage}?lang=sr-Cyrl`, [['source', 'Попис'], ['csv', '']],
                                              [{ field: 'file', filename: 'popis.csv', content: csv, type: 'text/csv' }]);
  assert.equal(r.status, 422);
  const page = text(r.text);
  assert.match(page, /Ред 2: „много“ није број/);
  assert.match(page, /Ред 3: број становника не може бити мањи од нуле/);
  assert.equal(query(server.database, 'SELECT count(*) FROM population_margins'), before);

  const disagree = await sessions.coordinator.post(`${populationPage}?lang=en`, [
    ['source', 'Census'], ['csv', 'variable,category,population\nsex,female,10\nsex,male,10\nsettlement,urban,5\n']]);
  assert.equal(disagree.status, 422);
  assert.match(text(disagree.text), /Variable settlement adds up to 5 people and the first variable to 20/);
  const nameless = await sessions.coordinator.post(`${populationPage}?lang=en`, [
    ['source', ''], ['csv', 'variable,category,population\nsex,female,10\n']]);
  assert.equal(nameless.status, 422);
  assert.match(text(nameless.text), /Enter where the figures come from/);
  assert.equal(query(server.database, 'SELECT count(*) FROM population_margins'), before);
});

test('a joint table post-stratifies, and a variable the survey does not ask is named', async () => {
  const joint = { female: { '18_29': 1300, '30_44': 1800, '45_64': 3000, '65_79': 2200, '80_plus': 850 },
                  male: { '18_29': 1300, '30_44': 1900, '45_64': 2900, '65_79': 1700, '80_plus': 450 } };
  const lines = ['variable,category,population'];
  let total = 0;
  for (const [sex, byAge] of Object.entries(joint)) {
    for (const [age, n] of Object.entries(byAge)) { lines.push(`age_band*sex,${age}*${sex},${n}`); total += n; }
  }
  lines.push(`education,any,${total}`);
  const r = await sessions.analyst.upload(`${populationPage}?lang=sr-Cyrl`,
                                          [['source', 'Процена општине'], ['year', '2025'], ['csv', lines.join('\n')]]);
  assert.equal(r.status, 303, r.text);
  assert.equal(query(server.database, "SELECT count(*) FROM audit_log WHERE action = 'population_table'"), '1');
  const page = text((await sessions.analyst.get(`${populationPage}?lang=sr-Cyrl`)).text);
  assert.doesNotMatch(page, /измишљени подаци/);
  assert.match(page, /Процена општине/);

  const split = await sessions.analyst.get(estimates('question=sex&by=age_band&weights=raked'));
  assert.equal(split.status, 200, split.text + server.stderr().slice(-800));
  const body = split.json;
  assert.deepEqual(body.weighting.margins, ['age_band*sex']);
  assert.deepEqual(body.weighting.not_asked, ['education']);
  assert.equal(body.weighting.iterations <= 2, true, 'one pass fits a single joint margin');
  for (const e of body.estimates) {
    if (e.category === 'prefer_not_to_say') continue;
    const byAge = Object.fromEntries(ages.map((a) => [a, joint.female[a] + joint.male[a]]));
    const expected = joint[e.category][e.group] / byAge[e.group];
    assert.ok(Math.abs(e.estimate - expected) < 1e-9, `${e.category} in ${e.group}: ${e.estimate} vs ${expected}`);
  }
  const csv = await sessions.analyst.get(`${populationPage}?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /^variable,category,population\n/);
  assert.match(csv.text, /age_band\*sex,65_79\*female,2200\n/);
});

test('the analysis page weights on request, says how, and tests the split by groups', async () => {
  const base = '/admin/m/demo/c/citizens/analysis?lang=en';
  const plain = text((await sessions.analyst.get(`${base}&question=hh_disability&by=settlement&weights=none`)).text);
  assert.doesNotMatch(plain, /How the answers were weighted/);
  assert.match(plain, /The groups (do not )?differ more than chance would explain\. \(χ² = [\d.]+, df = 1, p/);

  const r = await sessions.analyst.get(`${base}&question=hh_disability&by=settlement&weights=raked`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /How the answers were weighted/);
  assert.match(page, /Effective number of respondents \d+\.\d/);
  assert.match(page, /\(Rao–Scott F = [\d.]+, p/);
  assert.match(r.text, /id="weights-raked" name="weights" value="raked" checked/);

  const scale = await sessions.analyst.get(`${base}&question=income_adequacy&statistic=top_two_box`);
  assert.equal(scale.status, 200);
  assert.match(text(scale.text), /Top two positions/);
  const wrong = await sessions.analyst.get(`${base}&question=sex&statistic=median`);
  assert.equal(wrong.status, 422);
  assert.match(text(wrong.text), /does not apply to the chosen question/);
});
