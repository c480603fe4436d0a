// GET /api/v1/campaigns/{m}/{c}/estimates: shares with standard errors and intervals, overall and
// by group, computed from the stored answers; exact for an analyst, with small cells and their
// complements withheld for a coordinator; refused to strangers, interviewers and other
// municipalities; bad parameters answered with 4xx and a message in the asker's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { validAnswers, apiPaths, submitAll } from '../lib/citizens.mjs';
import { signedInSessions } from '../lib/admin.mjs';
import { storedAnswers } from '../lib/exports.mjs';
import { query } from '../lib/database.mjs';

let server;
let sessions;
const estimates = (query) => `/api/v1/campaigns/demo/citizens/estimates?${query}`;

// 40 answers: women and men in town and village, two who would rather not say, all in the village.
const plan = [
  ...Array(15).fill({ sex: 'female', settlement: 'urban' }),
  ...Array(10).fill({ sex: 'male', settlement: 'urban' }),
  ...Array(10).fill({ sex: 'female', settlement: 'rural' }),
  ...Array(3).fill({ sex: 'male', settlement: 'rural' }),
  ...Array(2).fill({ sex: 'prefer_not_to_say', settlement: 'rural' }),
].map((a) => (a.settlement === 'rural' ? { ...a, travel_time: '30_60', public_transport: 'rarely' } : a));

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['analyst', 'coordinator', 'interviewer', 'coordinator@susedna']);
  await submitAll(server.url, plan);
});

after(async () => {
  await server?.stop();
});

// The counts of each sex, overall or within one settlement type, from the database itself.
function storedCounts(settlement) {
  const counts = {};
  for (const { answers } of storedAnswers(server.database, 'citizens').values()) {
    if (settlement && answers.settlement !== settlement) continue;
    counts[answers.sex] = (counts[answers.sex] ?? 0) + 1;
  }
  return counts;
}

test('an analyst gets every share with its interval, matching the stored answers', async () => {
  const r = await sessions.analyst.get(estimates('question=sex'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const body = r.json;
  assert.equal(body.statistic, 'share');
  assert.equal(body.weights, 'none');
  assert.equal(body.min_cell_size, null, 'nothing withheld from an analyst');
  assert.match(body.note, /not a probability sample|није случајни узорак/);
  const counts = storedCounts();
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(body.responses, n);
  assert.deepEqual(body.estimates.map((e) => e.category), ['female', 'male', 'prefer_not_to_say']);
  for (const e of body.estimates) {
    assert.equal(e.suppressed, false);
    assert.equal(e.count, counts[e.category] ?? 0, e.category);
    assert.equal(e.n, n);
    assert.ok(Math.abs(e.estimate - e.count / n) < 1e-12, `${e.category}: ${e.estimate}`);
    // Unweighted: the standard error of a proportion, sqrt(p(1-p)/(n-1)) as survey computes it
    // for equal weights with replacement.
    const p = e.count / n;
    assert.ok(Math.abs(e.se - Math.sqrt(p * (1 - p) / (n - 1))) < 1e-9, `${e.category} se ${e.se}`);
    assert.ok(e.ci_low <= e.estimate && e.estimate <= e.ci_high, `${e.category} interval`);
    assert.ok(e.ci_low >= 0 && e.ci_high <= 1);
    assert.ok(Math.abs(e.deff - 1) < 0.05, `${e.category} deff ${e.deff}`);
  }
  const small = body.estimates.find((e) => e.category === 'prefer_not_to_say');
  assert.equal(small.unreliable, true, 'two answers are too few to read on their own');

  const byGroup = (await sessions.analyst.get(estimates('question=sex&by=settlement'))).json;
  assert.equal(byGroup.by, 'settlement');
  for (const e of byGroup.estimates) {
    assert.equal(e.count, storedCounts(e.group)[e.category] ?? 0, `${e.group} ${e.category}`);
  }
});

test('a coordinator gets the same estimates with small cells and their complements withheld', async () => {
  const overall = (await sessions.coordinator.get(estimates('question=sex'))).json;
  assert.equal(overall.min_cell_size, 5);
  const row = (list, group, category) => list.find((e) => e.group === group && e.category === category);
  // Two people: hidden; and one more of the same total, or it could be worked out.
  assert.equal(row(overall.estimates, undefined, 'prefer_not_to_say').suppressed, true);
  assert.equal(overall.estimates.filter((e) => e.suppressed).length, 2);
  for (const e of overall.estimates.filter((x) => x.suppressed)) {
    assert.deepEqual([e.estimate, e.se, e.ci_low, e.ci_high, e.count, e.n], [null, null, null, null, null, null]);
  }
  const female = row(overall.estimates, undefined, 'female');
  assert.equal(female.suppressed, false);
  assert.equal(female.count, storedCounts().female);

  const byGroup = (await sessions.coordinator.get(estimates('question=sex&by=settlement'))).json;
  assert.equal(row(byGroup.estimates, 'rural', 'male').suppressed, true);
  assert.equal(row(byGroup.estimates, 'rural', 'prefer_not_to_say').suppressed, true);
  assert.equal(row(byGroup.estimates, 'urban', 'female').suppressed, false);
  for (const group of ['urban', 'rural']) {
    const hidden = byGroup.estimates.filter((e) => e.group === group && e.suppressed).length;
    assert.notEqual(hidden, 1, `${group}: a single hidden cell could be recomputed from the total`);
  }
});

test('strangers, interviewers and other municipalities are refused, in their language', async () => {
  const anonymous = await request(`${server.url}${estimates('question=sex')}`, { headers: { 'accept-language': 'sr' } });
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.json.errors[0].message, /Пријавите се/);
  const interviewer = await sessions.interviewer.get(estimates('question=sex'));
  assert.equal(interviewer.status, 403);
  const neighbour = await sessions['coordinator@susedna'].get(estimates('question=sex'));
  assert.equal(neighbour.status, 403);
  assert.doesNotMatch(neighbour.text, /female/);
});

test('bad parameters get a clear 4xx', async () => {
  const s = sessions.analyst;
  const cases = [
    ['', 400, /question/],
    ['question=no_such_question', 422, /no_such_question/],
    ['question=sex&by=no_such_group', 422, /no_such_group/],
    ['question=sex&weights=raked', 422, /population/],
    ['question=sex&weights=heavy', 400, /weights/],
    ['question=sex&statistic=median', 400, /statistic/],
  ];
  for (const [query, status, message] of cases) {
    const r = await s.get(estimates(`${query}&lang=en`));
    assert.equal(r.status, status, `${query}: ${r.text}`);
    assert.match(r.json.errors[0].message, message, query);
  }
  const mean = (await s.get(estimates('question=household_size'))).json;
  assert.equal(mean.statistic, 'mean');
  assert.ok(Math.abs(mean.estimates[0].estimate - 4) < 1e-12, 'every answer said 4');
});

test('the analysis page shows the same estimates as tables and charts, from a form without JavaScript', async () => {
  const page = '/admin/m/demo/c/citizens/analysis';
  const empty = await sessions.analyst.get(`${page}?lang=sr-Cyrl`);
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<form method="get" action="\/admin\/m\/demo\/c\/citizens\/analysis"/);
  assert.match(empty.text, /<select id="question" name="question">/);
  assert.match(empty.text, /<option value="settlement">/);

  const analyst = await sessions.analyst.get(`${page}?lang=sr-Cyrl&question=sex&by=settlement`);
  assert.equal(analyst.status, 200);
  assert.match(analyst.text, /<option value="sex" selected>/);
  assert.match(analyst.text, /<option value="settlement" selected>/);
  // Urban: 15 of 25 women; rural: 2 of 15 would rather not say — exact for the analyst.
  assert.match(analyst.text, />60\.0\u00a0%</);
  assert.match(analyst.text, />13\.3\u00a0%</);
  assert.equal([...analyst.text.matchAll(/<svg class="chart"/g)].length, 2, 'a chart per group');
  assert.match(analyst.text, /Анкета на интернету није случајни узорак/);

  const coordinator = await sessions.coordinator.get(`${page}?lang=sr-Cyrl&question=sex&by=settlement`);
  assert.equal(coordinator.status, 200);
  assert.match(coordinator.text, />60\.0\u00a0%</);
  assert.doesNotMatch(coordinator.text, />13\.3\u00a0%</);
  assert.match(coordinator.text, /скривено/);
  assert.match(coordinator.text, /class="notice"/);

  const bad = await sessions.analyst.get(`${page}?lang=en&question=no_such_question`);
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Choose one of the questions offered/);
  assert.equal((await sessions.interviewer.get(`${page}?question=sex`)).status, 403);
  assert.equal((await sessions['coordinator@susedna'].get(`${page}?question=sex`)).status, 403);
});

test('estimates stay current: answers this server stores and rows another writer added', async () => {
  const count = async () => (await sessions.analyst.get(estimates('question=sex'))).json;
  const before = await count();
  const females = before.estimates.find((e) => e.category === 'female').count;
  // Stored through this server: appended to the dataset it keeps.
  const r = await postJson(apiPaths(server.url).responses,
                           { submission_id: uuid(), answers: validAnswers({ sex: 'female' }) });
  assert.equal(r.status, 201);
  const after = await count();
  assert.equal(after.responses, before.responses + 1);
  assert.equal(after.estimates.find((e) => e.category === 'female').count, females + 1);
  // Stored by someone else (another server, an import): the dataset is read anew.
  const campaign = query(server.database, "SELECT id FROM campaigns WHERE slug = 'citizens' AND municipality_id = (SELECT id FROM municipalities WHERE slug = 'demo')");
  const answers = JSON.stringify(validAnswers({ sex: 'male' })).replaceAll("'", "''");
  query(server.database, `INSERT INTO responses (id, campaign_id, submission_id, submitted_on, mode, language, answers) VALUES ('${uuid()}', ${campaign}, '${uuid()}', '2026-12-01', 'import', 'sr-Cyrl', '${answers}')`);
  const later = await count();
  assert.equal(later.responses, before.responses + 2);
  assert.equal(later.estimates.find((e) => e.category === 'male').count,
               before.estimates.find((e) => e.category === 'male').count + 1);
});

test('a layer splits the shares by group once more: a three-way table', async () => {
  const r = await sessions.analyst.get(estimates('question=sex&by=settlement&layer=age_band'));
  assert.equal(r.status, 200, r.text);
  const body = r.json;
  assert.equal(body.layer, 'age_band');
  const rows = body.estimates.filter((e) => e.layer === '45_64' && e.group === 'rural');
  const stored = storedCounts('rural');
  const n = Object.values(stored).reduce((a, b) => a + b, 0);
  for (const row of rows) {
    assert.equal(row.count, stored[row.category] ?? 0, row.category);
    assert.equal(row.n, n);
  }
  assert.ok(rows.length >= 2);
  const bad = await sessions.analyst.get(estimates('question=sex&layer=age_band&lang=en'));
  assert.equal(bad.status, 400);
});
