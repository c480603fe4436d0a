// The resource summary of a municipality's registry: a fixture registry (two providers, five
// counted services and an inactive one) imported with `needsmap registry import`, a population
// table with children's ages loaded through the admin page, then the summary page, its CSV and
// the JSON API, each with the figures worked out by hand (as in tests/registry/resources_test.cpp),
// and who may see them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, needsmap, repoRoot } from '../lib/server.mjs';
import { request, unescapeHtml } from '../lib/http.mjs';
import { signedInSessions } from '../lib/admin.mjs';

let server;
let sessions;
const summaryPage = '/admin/m/demo/registry/summary';
const api = '/api/v1/municipalities/demo/resources';
const fixture = join(repoRoot, 'tests/data/registry/resources.json');
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const homeCareGc = '83c0b263-13ae-518f-9eb7-16e20483ebda';

// 5,200 people of 65 and over; 3,000 children.
const population = ['variable,category,population', 'age_band,0_17,3000', 'age_band,18_29,2600',
  'age_band,30_44,3700', 'age_band,45_64,5900', 'age_band,65_79,3900', 'age_band,80_plus,1300',
  'sex,female,10400', 'sex,male,10000'].join('\n');

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['coordinator', 'analyst', 'interviewer', 'coordinator@susedna']);
});

after(async () => {
  await server?.stop();
});

test('an empty registry says so and how to fill it', async () => {
  const r = await sessions['coordinator@susedna'].get('/admin/m/susedna/registry/summary?lang=en');
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /provider registry is still empty/);
  assert.match(page, /needsmap registry import --db DB --municipality susedna --format json/);
  assert.doesNotMatch(page, /By service type/);
});

test('only those who may view the registry see the summary and its JSON', async () => {
  assert.equal((await sessions.interviewer.get(`${summaryPage}?lang=en`)).status, 403);
  assert.equal((await sessions['coordinator@susedna'].get(`${summaryPage}?lang=en`)).status, 403);
  assert.equal((await request(`${server.url}${api}`)).status, 401);
  const refused = await sessions.interviewer.get(`${api}?lang=en`);
  assert.equal(refused.status, 403);
  assert.match(JSON.parse(refused.text).errors[0].message, /may not see this municipality's registry/);
  assert.equal((await sessions['coordinator@susedna'].get(api)).status, 403);
  assert.equal((await sessions.analyst.get('/api/v1/municipalities/nowhere/resources')).status, 404);
  const home = await sessions.analyst.get('/admin/m/demo?lang=en');
  assert.match(home.text, /href="\/admin\/m\/demo\/registry\/summary\?lang=en"/);
});

test('the summary page, its CSV and the JSON give the figures of the imported registry', async () => {
  const imported = needsmap(['registry', 'import', '--db', server.database, '--municipality', 'demo',
                             '--format', 'json', fixture]);
  assert.equal(imported.status, 0, imported.stderr);
  const saved = await sessions.coordinator.post('/admin/m/demo/population?lang=en',
                                                [['source', 'Made up for the test'], ['csv', population]]);
  assert.equal(saved.status, 303);

  const r = await sessions.analyst.get(`${summaryPage}?lang=en`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /Population for places per 1,000 Made up for the test/);
  // Home care: 2 services of 2 providers, 5 / 60 places, 55 users, 15 waiting, 55 of 70 = 78.6 %,
  // 60 places for 5,200 people of 65+.
  assert.match(page, /Home care [^|]*? 2 2 5 \/ 60 55 15 78\.6 % 11\.5 60 places ÷ 5 200 \(age_band: 65_79, 80_plus\)/);
  assert.match(page, /Day services in the community .*? 3 2 8 \/ 85 77 15 .*? 16\.3 85 places ÷ 5 200/);
  assert.match(page, /Without a service type Превоз до дневног боравка 1 1 8 \/ — 0 0 — — A service with places records no ages/);
  assert.match(page, /Counselling and family support \([^)]*\) Саветовалиште за родитеље 1 1 — 15 0 100\.0 % — No service records a capacity/);
  // Age groups: 15 places … none for children; older people 65 places per 5,200.
  assert.match(page, /Older people \(65 and over\) .*? 2 2 8 \/ 65 57 10 .*? 12\.5/);
  assert.match(page, /By category of social services \(North Macedonia\) .*? Services in the home Помоћ у кући — Црвени крст 1 1 5 \/ 40 35 10 77\.8 % 7\.7/);
  assert.match(page, /Expired Помоћ у кући — Геронтолошки центар 1/);
  assert.match(page, /Not yet valid Саветовалиште за родитеље 1/);
  assert.match(page, /No licence Дневни боравак за старије; Превоз до дневног боравка 2/);
  assert.match(page, /Municipal budget 3 000 000 RSD 60\.0 % Earmarked transfer 1 000 000 RSD 20\.0 % Republic 1 000 000 RSD 20\.0 %/);
  assert.match(page, /caregiver 9\.5 social_worker 1\.0 Total 10\.5/);
  assert.match(page, /Inactive and defunct services not counted: 1\./);
  assert.ok((r.text.match(/<svg class="chart"/g) ?? []).length >= 3, 'charts beside the tables');
  assert.match(r.text, /aria-label="Places per 1,000 inhabitants by service type"/);

  const earlier = await sessions.analyst.get(`${summaryPage}?lang=en&year=2024`);
  assert.match(text(earlier.text), /Municipal budget 2 000 000 RSD 100\.0 %/);
  assert.equal((await sessions.analyst.get(`${summaryPage}?lang=en&year=soon`)).status, 400);

  const csv = await sessions.analyst.get(`${summaryPage}?lang=en&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /resources-demo\.csv/);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'table,code,label,figure,value,records');
  const homeCareLabel = '"Home care (personal care, hygiene, shopping, housework)"';
  assert.ok(lines.some((l) => l.startsWith(`service_types,home_care,${homeCareLabel},places_per_1000,11.538461538`)), csv.text);
  assert.ok(lines.includes(`service_types,home_care,${homeCareLabel},population,5200,age_band=65_79 age_band=80_plus`));
  assert.ok(lines.includes(`licences,expired,Expired,services,1,${homeCareGc}`));
  assert.ok(lines.some((l) => l.startsWith('funding_2025,municipal_budget,Municipal budget,share,0.6,')));
  assert.ok(lines.some((l) => l.startsWith('staff_2025,caregiver,caregiver,full_time_equivalents,9.5,')));

  const json = await sessions.analyst.get(api);
  assert.equal(json.status, 200);
  const body = JSON.parse(json.text);
  assert.equal(body.municipality, 'demo');
  assert.equal(body.total.services, 5);
  assert.equal(body.total.providers, 2);
  assert.equal(body.total.places_maximum, 85);
  const homeCare = body.service_types.find((t) => t.code === 'home_care');
  assert.equal(homeCare.group, 'day_services');
  assert.equal(homeCare.current_users, 55);
  assert.equal(homeCare.waiting_list, 15);
  assert.ok(Math.abs(homeCare.places_per_1000 - 60 / 5.2) < 1e-9);
  assert.deepEqual(homeCare.population.bands.map((b) => b.category), ['65_79', '80_plus']);
  assert.equal(homeCare.service_ids.length, 2);
  const counselling = body.service_types.find((t) => t.code === 'counselling_family_support');
  assert.equal(counselling.places_per_1000, null);
  assert.equal(counselling.places_per_1000_missing, 'no_places');
  assert.deepEqual(body.licences.expired.service_ids, [homeCareGc]);
  assert.equal(body.funding.year, 2025);
  assert.deepEqual(body.funding.sources.map((s) => [s.source_type, s.share]),
                   [['municipal_budget', 0.6], ['earmarked_transfer', 0.2], ['republic', 0.2]]);
  assert.equal(body.staff.full_time_equivalents, 10.5);
  assert.equal(body.population_table.source, 'Made up for the test');
  const before2025 = JSON.parse((await sessions.coordinator.get(`${api}?year=2024`)).text);
  assert.equal(before2025.funding.sources[0].amount, 2000000);
  const bad = await sessions.coordinator.get(`${api}?year=x&lang=sr-Cyrl`);
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.text).errors[0].message, /Година мора бити цео број/);
});
