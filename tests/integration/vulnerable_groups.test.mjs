// Vulnerable groups: the shipped defaults are listed with the surveys they do not apply to; a
// coordinator adds, changes and deletes groups (bad names and rules refused in Serbian, nothing
// saved), and goes back to the defaults; the campaign's page of needs by group shows each
// group's size and, for one group, its answers against everyone else's — exact for an analyst,
// with small groups and cells withheld for a coordinator — weighted on request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { unescapeHtml } from '../lib/http.mjs';
import { submitAll } from '../lib/citizens.mjs';
import { signedInSessions } from '../lib/admin.mjs';
import { query } from '../lib/database.mjs';

let server;
let sessions;
const groupsPage = '/admin/m/demo/groups';
const profiles = '/admin/m/demo/c/citizens/groups';
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const ages = ['18_29', '30_44', '45_64', '65_79', '80_plus'];

// 60 respondents of every age, sex and settlement; rural ones report remoteness more often.
// Three single parents: a group smaller than the campaign's smallest group (5).
const plan = [];
for (let i = 0; i < 60; ++i) {
  const rural = i % 3 === 0;
  const risks = ['poverty'];
  if (rural ? i % 2 === 0 : i % 5 === 0) risks.push('remoteness');
  plan.push({
    age_band: ages[i % 5],
    sex: i % 2 ? 'female' : 'male',
    settlement: rural ? 'rural' : 'urban',
    household: i < 3 ? 'single_parent' : 'couple_children',
    risk_factors: risks,
    ...(rural ? { travel_time: '30_60', public_transport: 'rarely' } : {}),
  });
}
const share = (rows) => rows.filter((p) => p.risk_factors.includes('remoteness')).length / rows.length;
const percent = (x) => `${(100 * x).toFixed(1)} %`;

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['analyst', 'coordinator']);
  await submitAll(server.url, plan);
});

after(async () => {
  await server?.stop();
});

test('the defaults are listed with the surveys they do not apply to', async () => {
  const r = await sessions.coordinator.get(`${groupsPage}?lang=sr-Cyrl`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /Општина користи групе које needsmap нуди/);
  assert.match(page, /Старије особе које живе саме elderly_alone/);
  // The users' questionnaire asks no household question.
  assert.match(page, /Не важи за анкету users ?: анкета не поставља питања household\./);
  assert.equal(query(server.database, 'SELECT count(*) FROM vulnerable_groups'), '0');
});

test('needs by group: sizes, one group against everyone else, small groups withheld', async () => {
  const r = await sessions.analyst.get(`${profiles}?lang=en&group=rural&question=risk_factors`);
  assert.equal(r.status, 200, r.text);
  const page = text(r.text);
  const rural = plan.filter((p) => p.settlement === 'rural');
  const urban = plan.filter((p) => p.settlement !== 'rural');
  assert.match(page, new RegExp(`People in rural settlements ${rural.length} `));
  assert.match(page, new RegExp(`Living far from services[^|]*? ${percent(share(rural))} .*? ${percent(share(urban))} `),
               'remoteness in the group and among the others');
  assert.match(page, /How many at once/);

  const small = text((await sessions.analyst.get(`${profiles}?lang=en&group=single_parent`)).text);
  assert.match(small, /Single-parent families 3 /, 'an analyst sees the exact size');
  const coordinator = text((await sessions.coordinator.get(`${profiles}?lang=en&group=single_parent`)).text);
  assert.match(coordinator, /Single-parent families hidden /);
  assert.doesNotMatch(coordinator, /Single-parent families 3 /);

  const weighted = await sessions.analyst.get(`${profiles}?lang=en&group=rural&weights=raked`);
  assert.equal(weighted.status, 200);
  assert.match(text(weighted.text), /Weighted to the population table: needsmap demo data/);
});

test('a coordinator adds, changes and deletes groups; bad ones are refused and nothing is saved', async () => {
  const s = sessions.coordinator;
  const bad = await s.post(`${groupsPage}?lang=sr-Cyrl`, [['action', 'save'], ['original', ''], ['name', 'Стари'],
    ['label_cyrl', ''], ['expression', "selected(${age_band}, '80_plus'"]]);
  assert.equal(bad.status, 422);
  const page = text(bad.text);
  assert.match(page, /Назив мора почети малим латиничним словом/);
  assert.match(page, /Унесите назив групе на српском/);
  assert.match(page, /Правило није исправно/);
  assert.equal(query(server.database, 'SELECT count(*) FROM vulnerable_groups'), '0');

  const added = await s.post(`${groupsPage}?lang=sr-Cyrl`, [['action', 'save'], ['original', ''], ['name', 'rural_old'],
    ['label_cyrl', 'Старији на селу'], ['label_en', 'Older rural people'], ['label_mk', ''],
    ['expression', "selected(${settlement}, 'rural') and (selected(${age_band}, '65_79') or selected(${age_band}, '80_plus'))"]]);
  assert.equal(added.status, 303, added.text);
  const stored = Number(query(server.database, 'SELECT count(*) FROM vulnerable_groups'));
  assert.ok(stored >= 10, 'the defaults and the new group are the municipality\'s own now');
  assert.match(text((await s.get(`${profiles}?lang=en`)).text), /Older rural people/);

  const taken = await s.post(`${groupsPage}?lang=en`, [['action', 'save'], ['original', 'rural_old'], ['name', 'rural'],
    ['label_cyrl', 'Село'], ['expression', "selected(${settlement}, 'rural')"]]);
  assert.equal(taken.status, 422);
  assert.match(text(taken.text), /A group with that name exists already/);

  assert.equal((await s.post(groupsPage, [['action', 'delete'], ['original', 'rural_old']])).status, 303);
  assert.equal(query(server.database, "SELECT count(*) FROM vulnerable_groups WHERE name = 'rural_old'"), '0');
  assert.equal((await s.post(groupsPage, [['action', 'reset']])).status, 303);
  assert.equal(query(server.database, 'SELECT count(*) FROM vulnerable_groups'), '0');
  assert.ok(Number(query(server.database, "SELECT count(*) FROM audit_log WHERE action = 'vulnerable_groups'")) >= 3);
});
