// The plan page of the citizens' campaign: the unmet need per service as a share of the
// respondents (exact, unweighted on request), counts of households once weighted to the demo
// population table, small groups withheld from a coordinator, the priorities following the
// weights the working group sets, bad weights refused in the user's language, and every source
// named, and what the users of social protection say they miss most beside each service. The
// arithmetic itself is tested in tests/plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { unescapeHtml } from '../lib/http.mjs';
import { apiPaths, fortyRespondents, submitAll } from '../lib/citizens.mjs';
import { postJson } from '../lib/http.mjs';
import { randomUUID } from 'node:crypto';
import { signedInSessions } from '../lib/admin.mjs';

let server;
let sessions;
const planPage = '/admin/m/demo/c/citizens/plan';
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

// 40 respondents. Twelve needed home care and did not get it (four of them also the soup
// kitchen), two needed a day care centre for older people; everyone would develop the soup
// kitchen first, every other one also home care.
const plan = fortyRespondents({ soupKitchen: true });

const labels = {
  home: 'Home care (personal care, hygiene, shopping, housework)',
  soup: 'Soup kitchen (free meals)',
  day: 'Day care centre for older people',
};
// A service's label, then its figures; a flag such as "(unreliable)" may stand between them.
const escape = (s) => `${s.replace(/[()]/g, '\\$&')}(?: \\(unreliable\\))?`;
// The services of the priorities table, in rank order.
function ranked(html) {
  const table = html.slice(html.indexOf('id="priorities"'), html.indexOf('id="gaps"'));
  return [...table.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => unescapeHtml(m[1]));
}
const only = (criterion) => ['unmet_need', 'vulnerability', 'coverage_gap', 'stakeholder_priority',
  'citizen_priority', 'legal_responsibility'].map((c) => `w_${c}=${c === criterion ? 1 : 0}`).join('&');

// Twelve users of social protection, asked in person: six miss help at home (home care, in the
// services catalog's words), one misses food (the soup kitchen), five nothing.
const usersMissing = [...Array(6).fill(['help_at_home']), ['food'], ...Array(5).fill(['nothing'])];
async function submitUsers(base) {
  for (const missing of usersMissing) {
    const answers = {
      interview_mode: 'field_worker', answering_for: 'myself', age_band: '65_79', sex: 'female',
      settlement: 'rural', living_with: 'alone', services_used: ['home_care'],
      satisfaction: 'partly', help_makes_difference: 'a_little', respect: 'mostly',
      what_is_wrong: ['too_rare'], missing_help: missing, barriers: ['distance_transport'],
      know_where: 'partly',
    };
    const r = await postJson(apiPaths(base, 'demo', 'users').responses,
      { submission_id: randomUUID(), answers });
    assert.equal(r.status, 201, r.text);
  }
}

// The cells of a service's row in the gaps table, as text.
function gapCells(html, label) {
  const table = html.slice(html.indexOf('id="gaps"'));
  const row = table.match(new RegExp(`<tr><th scope="row">${label.replace(/[()]/g, '\\$&')}.*?</tr>`));
  assert.ok(row, label);
  return [...row[0].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => unescapeHtml(m[1]).replace(/\s+/g, ' '));
}

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['analyst', 'coordinator']);
  await submitAll(server.url, plan);
});

after(async () => {
  await server?.stop();
});

test('the unmet need per service, unweighted, with everyone who answered as the base', async () => {
  const r = await sessions.analyst.get(`${planPage}?lang=en&weights=none`);
  assert.equal(r.status, 200, r.text);
  const page = text(r.text);
  assert.match(page, new RegExp(`${escape(labels.home)} 30\\.0 %`), '12 of 40');
  assert.match(page, new RegExp(`${escape(labels.soup)} 10\\.0 %`), '4 of 40');
  assert.match(page, new RegExp(`${escape(labels.day)} 5\\.0 %`), '2 of 40');
  assert.match(page, /Not weighted: without a population table there is no estimate of households/);
  assert.match(page, /Citizens' survey: 40 responses\./);
  assert.match(page, /No stakeholders' campaign|Stakeholders' survey: 0 responses/);
  assert.match(page, /No previous campaign of this questionnaire/);
  assert.match(page, /Registry of providers: \d+ services|The registry of providers is empty/);
});

test('weighted to the demo population, the need is counted in households', async () => {
  const r = await sessions.analyst.get(`${planPage}?lang=en`);
  assert.equal(r.status, 200, r.text);
  const page = text(r.text);
  assert.match(page, /Weighted to the population table: needsmap demo data/);
  const row = page.slice(page.indexOf(labels.home, page.indexOf('Gaps by service')));
  // share, its interval, then a whole number of households and its interval
  assert.match(row, /^[^%]+ \d+\.\d % \d+\.\d % – \d+\.\d % \d+ \d+ – \d+ /);
});

test('the priorities follow the weights', async () => {
  const need = await sessions.analyst.get(`${planPage}?lang=en&weights=none&${only('unmet_need')}`);
  assert.equal(need.status, 200);
  assert.deepEqual(ranked(need.text).slice(0, 3), [labels.home, labels.soup, labels.day]);
  const citizens = await sessions.analyst.get(`${planPage}?lang=en&weights=none&${only('citizen_priority')}`);
  assert.deepEqual(ranked(citizens.text).slice(0, 2), [labels.soup, labels.home]);
  assert.match(text(citizens.text), new RegExp(`1 ${escape(labels.soup)} 100\\.0 Citizens' priority: 100\\.0 %`));
});

test('bad weights are refused in the user\'s language', async () => {
  const r = await sessions.analyst.get(`${planPage}?lang=sr-Cyrl&w_unmet_need=11&w_vulnerability=x`);
  assert.equal(r.status, 422);
  const page = text(r.text);
  assert.equal(page.match(/Унесите број од 0 до 10/g)?.length >= 2, true, page);
  assert.doesNotMatch(page, /id="priorities"/);
});

test('a coordinator does not see small groups', async () => {
  const analyst = text((await sessions.analyst.get(`${planPage}?lang=en&weights=none`)).text);
  assert.match(analyst, new RegExp(`${escape(labels.day)} 5\\.0 %`));
  const coordinator = text((await sessions.coordinator.get(`${planPage}?lang=en&weights=none`)).text);
  assert.match(coordinator, new RegExp(`${escape(labels.day)} hidden`));
  assert.match(coordinator, new RegExp(`${escape(labels.home)} 30\\.0 %`));
  assert.match(coordinator, /Counts below 5 are hidden/);
});

test('the campaign links to the page; a questionnaire without the need question says so', async () => {
  const campaign = await sessions.coordinator.get('/admin/m/demo/c/citizens?lang=en');
  assert.match(campaign.text, /href="[^"]*\/admin\/m\/demo\/c\/citizens\/plan[^"]*">Gaps and priorities</);
  const users = await sessions.coordinator.get('/admin/m/demo/c/users/plan?lang=en');
  assert.equal(users.status, 200);
  assert.match(text(users.text), /This questionnaire does not ask about unmet needs by service/);
  assert.doesNotMatch(
    (await sessions.coordinator.get('/admin/m/demo/c/users?lang=en')).text, /\/c\/users\/plan/);
});

test('beside each service, the share of users who miss most what it gives', async () => {
  const before = text((await sessions.analyst.get(`${planPage}?lang=en&weights=none`)).text);
  assert.match(before, /Survey of users of social protection: 0 responses\./);
  await submitUsers(server.url);

  const analyst = await sessions.analyst.get(`${planPage}?lang=en&weights=none`);
  assert.equal(analyst.status, 200, analyst.text);
  assert.match(analyst.text, /<th scope="col" class="numeric">Users: miss it most<\/th><\/tr><\/thead>/);
  assert.equal(gapCells(analyst.text, labels.home).at(-1), '50.0 %', '6 of 12');
  assert.equal(gapCells(analyst.text, labels.soup).at(-1), '8.3 %', '1 of 12');
  // The day care centre gives company, which none of them misses.
  assert.equal(gapCells(analyst.text, labels.day).at(-1), '0.0 %');
  assert.match(text(analyst.text), /Survey of users of social protection: 12 responses\./);

  // One user who misses food is a group below 5: hidden from a coordinator.
  const coordinator = await sessions.coordinator.get(`${planPage}?lang=en&weights=none`);
  assert.equal(gapCells(coordinator.text, labels.soup).at(-1), 'hidden');
  assert.equal(gapCells(coordinator.text, labels.home).at(-1), '50.0 %');

  const serbian = text((await sessions.analyst.get(`${planPage}?lang=sr-Cyrl&weights=none`)).text);
  assert.match(serbian, /Корисници: то им највише недостаје/);
  assert.match(serbian, /Анкета корисника социјалне заштите: 12 одговора\./);
});
