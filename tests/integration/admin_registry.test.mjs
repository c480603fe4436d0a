// Keeping the registry of providers in the administration, with plain form posts (no
// JavaScript): a coordinator registers two providers with three services and verifies one, a
// provider contact proposes an update of its organisation, the coordinator accepts part of it,
// the contact answers the providers' questionnaire and the answer becomes a proposal too,
// the record's history shows the change, and the HSDS API and the export show the new values
// (the export still valid HSDS). Provider contacts reach nothing else of the registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, needsmap, repoRoot, temporaryDirectory } from '../lib/server.mjs';
import { request, unescapeHtml } from '../lib/http.mjs';
import { AdminSession, signedInSessions } from '../lib/admin.mjs';
import { apiPaths, Respondent } from '../lib/citizens.mjs';

let server;
let sessions;
let contact;
const ids = {};
const terms = {};  // the taxonomy terms' values in the forms

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['coordinator', 'analyst', 'coordinator@susedna']);
});

after(async () => server?.stop());

const base = '/admin/m/demo/registry';

// The id a create redirected to: …/registry/{o|l|s}/{id}?lang=…&saved=1
function createdId(r, kind) {
  assert.equal(r.status, 303, `created ${kind}: ${r.status} ${r.text}`);
  const m = r.headers.get('location').match(new RegExp(`/registry/${kind}/([0-9a-f-]{36})\\?`));
  assert.ok(m, r.headers.get('location'));
  return m[1];
}

// The value of the option (or checkbox) whose label starts with `label`.
function optionValue(html, label) {
  const m = html.match(new RegExp(`value="([0-9a-f-]{36})"[^>]*>(?:<label for="[^"]*">)?${label}`));
  assert.ok(m, `an option ${label}`);
  return m[1];
}

const organizationFields = (name) => [
  ['name', name], ['description', `${name}: опис`], ['sector', 'civil'],
  ['email', 'info@example.org'], ['phone', '012 345 678']];

function serviceFields(name, { type, group, location, users }) {
  return [
    ['name', name], ['status', 'active'], ['service_type', type], ['target_groups', group],
    ['responsibility', 'municipality'], ['licence_number', '560-00-1/2024'],
    ['licence_valid_from', '2024-01-01'], ['licence_valid_to', '31.12.2029.'],
    ['capacity_available', '3'], ['capacity_maximum', '25'], ['capacity_unit', 'места'],
    ['current_users', String(users)], ['waiting_list', '2'],
    ['settlements', 'Жагубица\nКрепољин'], ...(location ? [['locations', location]] : []),
    ['staff', 'геронтодомаћица; 4,5; 2025'], ['funding', 'municipal_budget; 2025; 1200000'],
    ['hours', 'радним данима 8–16'], ['opens_at', '08:00'], ['closes_at', '16:00'],
    ['languages', 'sr'], ['languages', 'rom'],
    ['contacts', 'Јелена Јовић; координаторка; jelena@example.org; 012 000 102'],
    ['cost_options', 'Бесплатно; 0; RSD'], ['required_documents', 'Решење центра за социјални рад']];
}

test('a coordinator registers two providers with three services through the forms', async () => {
  const s = sessions.coordinator;
  // A form with problems is answered 422 with an error summary and the field's own message.
  const missing = await s.post(`${base}/new`, [['name', ''], ['description', '']]);
  assert.equal(missing.status, 422);
  assert.match(missing.text, /class="error-summary"/);
  assert.match(missing.text, /<a href="#name">[^<]*Назив/);
  assert.match(missing.text, /id="name-error"/);
  const badEmail = await s.post(`${base}/new`, [
    ...organizationFields('Х').filter(([name]) => name !== 'email'), ['email', 'not an address']]);
  assert.equal(badEmail.status, 422);
  assert.match(badEmail.text, /<a href="#email">/);

  ids.red = createdId(await s.post(`${base}/new`, organizationFields('Црвени крст Демо')), 'o');
  ids.care = createdId(await s.post(`${base}/new`, organizationFields('Геронтоцентар Демо')), 'o');
  ids.place = createdId(await s.post(`${base}/o/${ids.red}/locations/new`, [
    ['name', 'Клуб за старије'], ['address_1', 'Главна 1'], ['city', 'Демо'],
    ['postal_code', '12320'], ['state_province', 'Браничевски'], ['country', 'RS'],
    ['accessibility', 'Рампа на улазу']]), 'l');

  // Creating the first record brought the taxonomy: the service form offers its terms.
  const form = await s.get(`${base}/o/${ids.red}/services/new`);
  assert.equal(form.status, 200);
  const homeCare = optionValue(form.text, 'Помоћ у кући');
  const dayCare = optionValue(form.text, 'Дневни боравак за старије');
  const older = optionValue(form.text, 'Старији \\(65');
  Object.assign(terms, { homeCare, dayCare, older });
  assert.match(form.text, /Клуб за старије/, 'the organisation’s locations are offered');

  ids.homeCare = createdId(await s.post(`${base}/o/${ids.red}/services/new`,
    serviceFields('Помоћ у кући', { type: homeCare, group: older, location: ids.place, users: 20 })), 's');
  ids.club = createdId(await s.post(`${base}/o/${ids.red}/services/new`,
    serviceFields('Дневни боравак', { type: dayCare, group: older, location: ids.place, users: 12 })), 's');
  ids.centre = createdId(await s.post(`${base}/o/${ids.care}/services/new`,
    serviceFields('Дневни центар', { type: dayCare, group: older, users: 30 })), 's');

  // A number that is not one is named beside its field, and nothing is stored.
  const bad = await s.post(`${base}/s/${ids.club}`,
    serviceFields('Дневни боравак', { type: dayCare, group: older, users: 'много' }));
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="current_users-error"/);

  const list = await s.get(base);
  assert.equal(list.status, 200);
  assert.match(list.text, /Црвени крст Демо[\s\S]*Помоћ у кући/);
  assert.match(list.text, /Геронтоцентар Демо[\s\S]*Дневни центар/);

  const api = await request(`${server.url}/api/hsds/demo/services/${ids.homeCare}`);
  assert.equal(api.status, 200);
  const service = JSON.parse(api.text);
  assert.equal(service.current_users, 20);
  assert.equal(service.organization.name, 'Црвени крст Демо');
  assert.deepEqual(service.service_areas.map((a) => a.name).sort(), ['Жагубица', 'Крепољин']);
  assert.equal(service.capacities[0].maximum, 25);
  assert.equal(service.attributes.length, 2);
  assert.equal(service.licence_valid_to, '2029-12-31', 'a date as Serbian writes it, stored as ISO');
  assert.deepEqual(service.languages.map((l) => l.code).sort(), ['rom', 'sr']);
  assert.equal(service.contacts[0].name, 'Јелена Јовић');
  assert.equal(service.contacts[0].phones[0].number, '012 000 102');
  assert.equal(service.cost_options[0].amount, 0);
  assert.equal(service.required_documents[0].document, 'Решење центра за социјални рад');

  // The form shows them as they were entered; a date that is none is named.
  const edit = await s.get(`${base}/s/${ids.homeCare}`);
  assert.match(edit.text, /<input type="checkbox" id="languages-\d+" name="languages" value="rom" checked>/);
  assert.match(edit.text, /Јелена Јовић; координаторка; jelena@example\.org; 012 000 102<\/textarea>/);
  const badDate = await s.post(`${base}/s/${ids.club}`, [
    ...serviceFields('Дневни боравак', { type: dayCare, group: older, users: 12 })
      .filter(([name]) => name !== 'licence_valid_to'), ['licence_valid_to', '31.02.2029.']]);
  assert.equal(badDate.status, 422);
  assert.match(unescapeHtml(badDate.text), /„Лиценца важи до“: „31\.02\.2029\.“ није датум/);
});

test('verifying sets the date and the verifier', async () => {
  const s = sessions.coordinator;
  const r = await s.post(`${base}/o/${ids.red}/verify`);
  assert.equal(r.status, 303);
  const page = await s.get(`${base}/o/${ids.red}`);
  const today = new Date().toISOString().slice(0, 10);
  assert.match(unescapeHtml(page.text), new RegExp(`Проверено ${today}, проверио/ла koordinator@demo`));
  const api = JSON.parse((await request(`${server.url}/api/hsds/demo/organizations/${ids.red}`)).text);
  assert.equal(api.assured_date, today);
  assert.equal(api.assurer_email, 'koordinator@demo.needsmap.example');
});

test('a provider contact proposes an update and the coordinator accepts part of it', async () => {
  const s = sessions.coordinator;
  const added = await s.post('/admin/m/demo/users', [
    ['email', 'kontakt@crveni-krst.example.org'], ['role', 'provider_contact'], ['organization', ids.red]]);
  assert.equal(added.status, 200);
  const password = added.text.match(/<code class="secret">([A-Za-z0-9]{16})<\/code>/)[1];
  // A provider contact needs an organisation.
  const without = await s.post('/admin/m/demo/users', [['email', 'x@example.org'], ['role', 'provider_contact']]);
  assert.equal(without.status, 422);

  contact = new AdminSession(server.url);
  assert.equal((await contact.signIn('kontakt@crveni-krst.example.org', password)).status, 303);
  const home = await contact.get('/admin');
  assert.match(home.text, new RegExp(`/admin/m/demo/registry/o/${ids.red}\\?`));
  assert.match(home.text, new RegExp(`/admin/m/demo/registry/o/${ids.red}/propose`));

  const form = await contact.get(`${base}/o/${ids.red}/propose?service=${ids.homeCare}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="current_users" value="20"/);
  assert.match(form.text, /name="org_name" value="Црвени крст Демо"/);
  const unchanged = await contact.post(`${base}/o/${ids.red}/propose`, [
    ['service', ids.homeCare], ['org_name', 'Црвени крст Демо'], ['current_users', '20']]);
  assert.equal(unchanged.status, 422, 'a proposal that changes nothing is refused');
  const wrong = await contact.post(`${base}/o/${ids.red}/propose`, [
    ['service', ids.homeCare], ['current_users', 'двадесет']]);
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /id="current_users-error"/);
  const sent = await contact.post(`${base}/o/${ids.red}/propose`, [
    ['service', ids.homeCare], ['org_name', 'Црвени крст Демо (нови назив)'], ['sector', 'civil'],
    ['licence_number', '560-00-1/2024'], ['licence_valid_until', '2029-12-31'],
    ['capacity_places', '40'], ['current_users', '24'], ['waiting_count', '2'],
    ['area_settlements', 'Жагубица\nКрепољин'],
    ['staff', 'геронтодомаћица; 4,5; 2025\r\nсоцијални радник; 1; 2025'],
    ['target_groups', ''], ['target_groups', terms.older],
    ['languages', ''], ['languages', 'sr'], ['languages', 'rom'], ['languages', 'hu']]);
  assert.equal(sent.status, 200, sent.text);
  // Nothing changed yet.
  const before = JSON.parse((await request(`${server.url}/api/hsds/demo/services/${ids.homeCare}`)).text);
  assert.equal(before.current_users, 20);

  const list = await s.get(`${base}/proposals`);
  assert.equal(list.status, 200);
  const link = list.text.match(/href="(\/admin\/m\/demo\/registry\/proposals\/\d+)\?/)[1];
  const review = await s.get(link);
  assert.equal(review.status, 200);
  assert.match(review.text, /kontakt@crveni-krst\.example\.org/);
  assert.match(review.text, /<td class="lines">20<\/td><td class="lines">24<\/td>/,
               'current → proposed, field by field');
  assert.match(review.text, /<td class="lines">25<\/td><td class="lines">40<\/td>/);
  assert.match(review.text, /name="decide_staff"/);
  assert.match(review.text, /<td class="lines">[^<]*ромски[^<]*<\/td><td class="lines">[^<]*мађарски/,
               'languages by their names');
  // Only the changed fields are proposed.
  assert.doesNotMatch(review.text, /name="decide_licence_number"/);
  assert.doesNotMatch(review.text, /name="decide_target_groups"/);
  const undecided = await s.post(link, [['decide_current_users', 'accept']]);
  assert.equal(undecided.status, 422, 'every field needs a decision');
  const decided = await s.post(link, [
    ['decide_current_users', 'accept'], ['decide_capacity_places', 'reject'], ['decide_org_name', 'accept'],
    ['decide_staff', 'accept'], ['decide_languages', 'accept']]);
  assert.equal(decided.status, 303);
  const closed = await s.get(link);
  assert.doesNotMatch(closed.text, /name="decide_/);
  assert.match(closed.text, /прихваћено[\s\S]*одбијено|одбијено[\s\S]*прихваћено/);
  assert.equal((await s.post(link, [['decide_current_users', 'accept']])).status, 409);

  const after = JSON.parse((await request(`${server.url}/api/hsds/demo/services/${ids.homeCare}`)).text);
  assert.equal(after.current_users, 24);
  assert.equal(after.capacities[0].maximum, 25, 'the rejected field is unchanged');
  assert.equal(after.organization.name, 'Црвени крст Демо (нови назив)');
  assert.deepEqual(after.languages.map((l) => l.code).sort(), ['hu', 'rom', 'sr']);

  // The service's history shows the change, made by the coordinator.
  const page = await s.get(`${base}/s/${ids.homeCare}`);
  assert.match(page.text, /<span class="slug">current_users<\/span><\/th><td>20<\/td><td>24<\/td>/);
  assert.match(page.text, /koordinator@demo[^<]*<\/td><td>[^<]*\(измењен\)<\/td><th scope="row"><span class="slug">current_users/);
});

test('the export shows the new values and their history, and is valid HSDS', () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'registry.json');
  const r = needsmap(['registry', 'export', '--db', server.database, '--municipality', 'demo',
                      '--format', 'json', file]);
  assert.equal(r.status, 0, r.stderr);
  const check = spawnSync('python3', [join(repoRoot, 'tests/lib/validate_hsds.py'),
                                      join(repoRoot, 'data', 'hsds-3.0'), 'document', file],
                          { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const text = readFileSync(file, 'utf8');
  const document = JSON.parse(text);
  const red = document.organizations.find((o) => o.id === ids.red);
  assert.equal(red.services.find((x) => x.id === ids.homeCare).current_users, 24);
  const history = red.services.find((x) => x.id === ids.homeCare).metadata ?? [];
  const change = history.find((m) => m.field_name === 'current_users' && m.last_action_type === 'update');
  assert.ok(change, 'the change is a metadata row of the service');
  assert.equal(change.previous_value, '20');
  assert.equal(change.replacement_value, '24');
  assert.equal(change.updated_by, 'koordinator@demo.needsmap.example');
});

test('a provider contact answers the providers\' questionnaire, and the answer is a proposal to review', async () => {
  const s = sessions.coordinator;
  const home = await contact.get('/admin');
  const entry = `/admin/m/demo/c/providers/entry/provider/${ids.homeCare}`;
  assert.match(home.text, new RegExp(`href="${entry}\\?lang=sr-Cyrl"`), 'the home page offers the survey');
  // Only about its own organisation.
  assert.equal((await contact.get(`/admin/m/demo/c/providers/entry/provider/${ids.centre}`)).status, 403);
  assert.equal((await contact.get(`/admin/m/demo/c/citizens/entry/provider/${ids.homeCare}`)).status, 404);

  const questionnaire = (await request(apiPaths(server.url, 'demo', 'providers').questionnaire)).json;
  const respondent = new Respondent(`${server.url}${entry}`, questionnaire, { headers: { cookie: contact.cookie } });
  assert.equal((await respondent.start()).status, 200);
  respondent.cookie = `${respondent.cookie}; ${contact.cookie}`;
  const done = await respondent.finish({
    org_name: 'Црвени крст Демо (нови назив)', sector: 'civil', founded_year: 1995,
    services_provided: ['home_care'], licence: 'yes', licence_number: '560-00-1/2024',
    licence_valid_until: '2029-12-31', capacity_places: 25, current_users: 30, users_0_17: 0,
    users_18_25: 0, users_26_64: 5, users_65_plus: 25, waiting_list: 'yes', waiting_count: 7,
    fte_social_workers: 1, fte_psychologists: 0, fte_educators: 0, fte_health: 2, fte_carers: 6,
    fte_assistants: 0, fte_other: 0.5, volunteers: 10, funding_sources: ['municipal_budget'],
    annual_budget: 2400000, funding_secured: 'to_year_end', target_groups: ['older_needing_care', 'persons_with_disability'],
    area_covered: 'whole_municipality', physical_access: 'home_based', languages: ['serbian'],
    support_needed: ['more_staff']});
  assert.match(done.headers.get('location'), new RegExp(`${entry}/thanks`));
  const thanks = await contact.get(new URL(done.headers.get('location'), server.url).pathname);
  assert.match(thanks.text, /послати координатору као предлог/);

  // The proposal: the fields that differ, from the answer's staff, funding, groups and languages.
  const list = await s.get(`${base}/proposals`);
  const links = [...list.text.matchAll(/href="(\/admin\/m\/demo\/registry\/proposals\/\d+)\?/g)].map((m) => m[1]);
  const newest = links.sort((a, b) => Number(b.split('/').pop()) - Number(a.split('/').pop()))[0];
  const review = await s.get(newest);
  assert.match(review.text, /kontakt@crveni-krst\.example\.org/);
  const keys = [...review.text.matchAll(/name="decide_([a-z_]+)" value="accept"/g)].map((m) => m[1]).sort();
  const year = new Date().getUTCFullYear();
  assert.deepEqual(keys, ['current_users', 'funding', 'languages', 'staff', 'target_groups', 'waiting_count'],
                   'only what differs from the registry');
  assert.match(unescapeHtml(review.text), new RegExp(`caregiver; 6; ${year}`));
  assert.match(unescapeHtml(review.text), new RegExp(`municipal_budget; ${year - 1}; 2400000`));
  assert.match(review.text, /Особе са инвалидитетом/, 'target groups by their names');
  const accepted = await s.post(newest, keys.map((k) => [`decide_${k}`, 'accept']));
  assert.equal(accepted.status, 303, accepted.text);
  const service = JSON.parse((await request(`${server.url}/api/hsds/demo/services/${ids.homeCare}`)).text);
  assert.equal(service.current_users, 30);
  assert.equal(service.waiting_list, 7);
  assert.deepEqual(service.languages.map((l) => l.code), ['sr']);
  assert.equal(service.attributes.filter((a) => a.link_type === 'audience').length, 2);
});

test('a provider contact keeps its own organisation\'s records, and nothing else', async () => {
  for (const [method, path] of [
    ['GET', base], ['GET', `${base}/new`], ['POST', `${base}/new`], ['GET', `${base}/proposals`],
    ['GET', `${base}/proposals/1`], ['POST', `${base}/proposals/1`],
    ['POST', `${base}/o/${ids.red}/verify`], ['POST', `${base}/o/${ids.red}/delete`],
    ['POST', `${base}/s/${ids.club}/verify`], ['POST', `${base}/s/${ids.club}/delete`],
    ['GET', `${base}/o/${ids.care}`], ['POST', `${base}/o/${ids.care}`],
    ['GET', `${base}/s/${ids.centre}`], ['POST', `${base}/s/${ids.centre}`],
    ['GET', `${base}/o/${ids.care}/services/new`], ['GET', `${base}/o/nothing-here`],
    ['GET', `${base}/o/${ids.care}/propose`], ['POST', `${base}/o/${ids.care}/propose`],
    ['GET', `/admin/m/susedna/registry/o/${ids.red}/propose`], ['GET', '/admin/m/demo/users'],
  ]) {
    const r = method === 'GET' ? await contact.get(path) : await contact.post(path, [['name', 'x']]);
    assert.equal(r.status, 403, `${method} ${path}`);
  }
  for (const path of [`${base}/o/${ids.red}`, `${base}/s/${ids.homeCare}`,
                      `${base}/o/${ids.red}/services/new`, `${base}/o/${ids.red}/propose`]) {
    assert.equal((await contact.get(path)).status, 200, path);
  }
  // The organisation's page has no verify or delete form for the contact.
  const own = await contact.get(`${base}/o/${ids.red}`);
  assert.doesNotMatch(own.text, /\/verify"|\/delete"/);
  // The contact changes a service's figures; the change is kept with the contact's name.
  const saved = await contact.post(`${base}/s/${ids.club}`, serviceFields('Дневни боравак', {
    type: terms.dayCare, group: terms.older, location: ids.place, users: 15 }));
  assert.equal(saved.status, 303, saved.text);
  const api = JSON.parse((await request(`${server.url}/api/hsds/demo/services/${ids.club}`)).text);
  assert.equal(api.current_users, 15);
  const page = await sessions.coordinator.get(`${base}/s/${ids.club}`);
  assert.match(page.text, /kontakt@crveni-krst\.example\.org/);
  // Nor do an analyst or another municipality's coordinator keep this registry.
  for (const s of [sessions.analyst, sessions['coordinator@susedna']]) {
    assert.equal((await s.get(base)).status, 403);
    assert.equal((await s.get(`${base}/o/${ids.red}`)).status, 403);
    assert.equal((await s.post(`${base}/o/${ids.red}/delete`)).status, 403);
    assert.equal((await s.get(`${base}/o/${ids.red}/propose`)).status, 403);
  }
});

test('an answer to the providers\' survey becomes a proposal once attached to an organisation', async () => {
  const s = sessions.coordinator;
  const generated = needsmap(['generate', 'responses', '--db', server.database, '--campaign',
                              'demo/providers', '--count', '1', '--seed', '7']);
  assert.equal(generated.status, 0, generated.stderr);
  const list = await s.get(`${base}/proposals`);
  const response = list.text.match(/name="response" value="([^"]+)"/)[1];
  const unattached = await s.post(`${base}/proposals/from-answer`, [['response', response], ['target', '']]);
  assert.equal(unattached.status, 422);
  assert.match(unattached.text, new RegExp(`<a href="#target-${response}">`));
  const made = await s.post(`${base}/proposals/from-answer`,
                            [['response', response], ['target', `${ids.care}/${ids.centre}`]]);
  assert.equal(made.status, 303);
  const review = await s.get(made.headers.get('location'));
  assert.equal(review.status, 200);
  assert.match(review.text, new RegExp(`одговор на упитник ${response}, придружио/ла koordinator@demo`));
  assert.match(review.text, /Геронтоцентар Демо/);
  assert.match(review.text, /name="decide_org_name"/, 'the answer names the organisation otherwise');
  // Staff, funding, target groups and languages come from the answer too; accepted, each becomes
  // the service's records.
  const keys = [...review.text.matchAll(/name="decide_([a-z_]+)" value="accept"/g)].map((m) => m[1]);
  for (const key of ['staff', 'funding', 'target_groups', 'languages']) {
    assert.ok(keys.includes(key), `${key} proposed (${keys})`);
  }
  const accepted = await s.post(made.headers.get('location').split('?')[0],
                                keys.map((key) => [`decide_${key}`, 'accept']));
  assert.equal(accepted.status, 303, accepted.text);
  const centre = JSON.parse((await request(`${server.url}/api/hsds/demo/services/${ids.centre}`)).text);
  assert.ok(centre.languages.length > 0);
  assert.ok(centre.attributes.filter((a) => a.link_type === 'audience').length > 0);
  const again = await s.get(`${base}/proposals`);
  assert.doesNotMatch(again.text, new RegExp(`value="${response}"`), 'an answer is made a proposal once');
  assert.equal((await s.post(`${base}/proposals/from-answer`,
                             [['response', response], ['target', `${ids.care}/`]])).status, 404);
  assert.equal((await contact.post(`${base}/proposals/from-answer`,
                                   [['response', response], ['target', `${ids.care}/`]])).status, 403);
});

test('deleting a service removes it and its children, and the history stays', async () => {
  const s = sessions.coordinator;
  const r = await s.post(`${base}/s/${ids.club}/delete`);
  assert.equal(r.status, 303);
  assert.equal((await request(`${server.url}/api/hsds/demo/services/${ids.club}`)).status, 404);
  assert.equal((await s.get(`${base}/s/${ids.club}`)).status, 404);
  const page = await s.get(`${base}/o/${ids.red}`);
  assert.doesNotMatch(page.text, /Дневни боравак<\/a>/, 'no longer among the services');
  assert.match(page.text, /\(обрисан\)<\/td><th scope="row"><span class="slug">name<\/span><\/th><td>Дневни боравак<\/td>/,
               'the organisation’s history shows its service deleted');
  const audit = await s.get('/admin/m/demo/audit');
  assert.match(audit.text, /registry_delete/);
  assert.match(audit.text, /registry_proposal_decide/);
});
