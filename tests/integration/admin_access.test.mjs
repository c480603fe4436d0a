// Every role × every administration route × its own and another municipality: each answer is
// exactly what the roles allow (DHIS2-style grants on places: a coordinator's municipality, an
// analyst's municipalities, a national administrator's republic, an interviewer's campaign).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';

let server;
const sessions = {};

before(async () => {
  server = await startServer();
  const accounts = await demoAccounts(server);
  for (const [key, a] of Object.entries(accounts)) {
    const s = new AdminSession(server.url);
    const r = await s.signIn(a.email, a.password);
    assert.equal(r.status, 303, `${key} signs in`);
    sessions[key] = s;
  }
  sessions.anonymous = new AdminSession(server.url);
});

after(async () => server?.stop());

// Route templates; M is the municipality. POSTs send a form the server refuses as invalid
// when it is allowed (422) or act and redirect (303), so "allowed" is never 403.
const routes = [
  { name: 'municipality', method: 'GET', path: '/admin/m/M', action: 'view_campaigns' },
  { name: 'campaign', method: 'GET', path: '/admin/m/M/c/citizens', action: 'view_campaigns' },
  { name: 'export', method: 'GET', path: '/admin/m/M/c/citizens/export?format=csv', action: 'export_responses' },
  { name: 'results', method: 'GET', path: '/admin/m/M/c/citizens/results', action: 'view_results' },
  { name: 'analysis', method: 'GET', path: '/admin/m/M/c/citizens/analysis?question=sex', action: 'view_results' },
  { name: 'open answers', method: 'GET', path: '/admin/m/M/c/citizens/answers', action: 'view_results' },
  { name: 'open answers of a question', method: 'GET', path: '/admin/m/M/c/citizens/answers/suggestions?word=prevoz', action: 'view_results' },
  { name: 'open answers change', method: 'POST', path: '/admin/m/M/c/citizens/answers/suggestions', fields: [['op', 'theme_add'], ['label', '']], action: 'manage_analysis' },
  { name: 'preview', method: 'GET', path: '/admin/m/M/c/citizens/preview?page=1', action: 'view_campaigns' },
  { name: 'poster', method: 'GET', path: '/admin/m/M/c/citizens/poster?lang=sr-Latn', action: 'view_campaigns' },
  { name: 'new campaign form', method: 'GET', path: '/admin/m/M/new', action: 'manage_campaigns' },
  { name: 'new campaign', method: 'POST', path: '/admin/m/M/new', fields: [['slug', 'Not A Slug']], action: 'manage_campaigns' },
  { name: 'campaign settings', method: 'POST', path: '/admin/m/M/c/citizens/settings', fields: [['opens', 'not a date']], action: 'manage_campaigns' },
  { name: 'campaign status', method: 'POST', path: '/admin/m/M/c/citizens/status', fields: [['status', 'open']], action: 'manage_campaigns' },
  { name: 'questionnaires', method: 'GET', path: '/admin/m/M/questionnaires', action: 'manage_campaigns' },
  { name: 'questionnaire upload', method: 'POST', path: '/admin/m/M/questionnaires', fields: [], action: 'manage_campaigns' },
  { name: 'responses upload form', method: 'GET', path: '/admin/m/M/c/citizens/import', action: 'manage_campaigns' },
  { name: 'responses upload', method: 'POST', path: '/admin/m/M/c/citizens/import', fields: [], action: 'manage_campaigns' },
  { name: 'users', method: 'GET', path: '/admin/m/M/users', action: 'manage_users' },
  { name: 'add user', method: 'POST', path: '/admin/m/M/users', fields: [['email', 'not an address'], ['role', 'analyst']], action: 'manage_users' },
  { name: 'audit log', method: 'GET', path: '/admin/m/M/audit', action: 'view_audit' },
  { name: 'population table', method: 'GET', path: '/admin/m/M/population', action: 'manage_analysis' },
  { name: 'population upload', method: 'POST', path: '/admin/m/M/population', fields: [], action: 'manage_analysis' },
  { name: 'vulnerable groups', method: 'GET', path: '/admin/m/M/groups', action: 'manage_analysis' },
  { name: 'vulnerable groups change', method: 'POST', path: '/admin/m/M/groups', fields: [], action: 'manage_analysis' },
  { name: 'needs by group', method: 'GET', path: '/admin/m/M/c/citizens/groups', action: 'view_results' },
  { name: 'resource summary', method: 'GET', path: '/admin/m/M/registry/summary', action: 'view_registry' },
  { name: 'resource summary CSV', method: 'GET', path: '/admin/m/M/registry/summary?format=csv', action: 'view_registry' },
  { name: 'registry', method: 'GET', path: '/admin/m/M/registry', action: 'manage_registry' },
  { name: 'new organisation form', method: 'GET', path: '/admin/m/M/registry/new', action: 'manage_registry' },
  { name: 'new organisation', method: 'POST', path: '/admin/m/M/registry/new', fields: [['name', '']], action: 'manage_registry' },
  { name: 'proposed updates', method: 'GET', path: '/admin/m/M/registry/proposals', action: 'manage_registry' },
];

// What each role may do in its own municipality ("demo"); nobody but the national administrator
// may do anything in the other ("susedna").
const mayDo = {
  national_admin: new Set(['view_campaigns', 'view_results', 'export_responses', 'manage_campaigns', 'manage_users', 'view_audit', 'manage_analysis', 'view_registry', 'manage_registry']),
  coordinator: new Set(['view_campaigns', 'view_results', 'export_responses', 'manage_campaigns', 'manage_users', 'view_audit', 'manage_analysis', 'view_registry', 'manage_registry']),
  analyst: new Set(['view_campaigns', 'view_results', 'export_responses', 'manage_analysis', 'view_registry']),
  interviewer: new Set(),
};

for (const role of ['national_admin', 'coordinator', 'analyst', 'interviewer', 'anonymous']) {
  for (const municipality of ['demo', 'susedna']) {
    test(`${role} in ${municipality === 'demo' ? 'its own' : 'another'} municipality`, async () => {
      const s = sessions[role];
      for (const route of routes) {
        const path = route.path.replace('/M', `/${municipality}`);
        const r = route.method === 'GET' ? await s.get(path) : await s.post(path, route.fields);
        const label = `${route.method} ${path}`;
        if (role === 'anonymous') {
          // Not signed in: pages send to the sign-in, forms are refused.
          if (route.method === 'GET') {
            assert.equal(r.status, 303, label);
            assert.match(r.headers.get('location'), /^\/admin\/login/, label);
          } else {
            assert.equal(r.status, 403, label);
          }
          continue;
        }
        const allowed = mayDo[role].has(route.action) && (municipality === 'demo' || role === 'national_admin');
        if (allowed) {
          assert.ok([200, 303, 422].includes(r.status), `${label} is allowed: ${r.status}`);
        } else {
          assert.equal(r.status, 403, `${label} is refused`);
          assert.doesNotMatch(r.text, /Суседна општина|Демо општина/, `${label} shows nothing of the municipality`);
        }
      }
    });
  }
}

test('the home page lists only the municipalities a user may see', async () => {
  const list = async (s) => (await s.get('/admin')).text;
  assert.match(await list(sessions.national_admin), /Демо општина[\s\S]*Суседна општина/);
  const own = await list(sessions.coordinator);
  assert.match(own, /Демо општина/);
  assert.doesNotMatch(own, /Суседна општина/);
  const neighbour = await list(sessions['coordinator@susedna']);
  assert.match(neighbour, /Суседна општина/);
  assert.doesNotMatch(neighbour, /Демо општина/);
  assert.doesNotMatch(await list(sessions.interviewer), /Суседна општина|<a href="\/admin\/m\/demo\?/, "an interviewer sees no municipality, only its entry");
});

test("the neighbouring municipality's coordinator reaches its own data and none of demo's", async () => {
  const s = sessions['coordinator@susedna'];
  assert.equal((await s.get('/admin/m/susedna/c/citizens')).status, 200);
  assert.equal((await s.get('/admin/m/demo/c/citizens')).status, 403);
  assert.equal((await s.get('/admin/m/demo/c/citizens/export?format=csv')).status, 403);
  assert.equal((await s.post('/admin/m/demo/c/citizens/status', [['status', 'closed']])).status, 403);
});

test('a coordinator may grant the roles below coordinator in its municipality, and no others', async () => {
  const s = sessions.coordinator;
  const form = (await s.get('/admin/m/demo/users')).text;
  const offered = [...form.matchAll(/<option value="(\w+)"/g)].map((m) => m[1]).filter((v) => !['citizens', 'users', 'stakeholders', 'providers'].includes(v));
  assert.deepEqual(offered.sort(), ['analyst', 'interviewer', 'provider_contact']);
  for (const role of ['coordinator', 'national_admin']) {
    const r = await s.post('/admin/m/demo/users', [['email', `new-${role}@example.org`], ['role', role]]);
    assert.equal(r.status, 422, role);
  }
  const ok = await s.post('/admin/m/demo/users', [['email', 'new.analyst@example.org'], ['role', 'analyst']]);
  assert.equal(ok.status, 200);
  assert.match(ok.text, /new\.analyst@example\.org/);
  assert.match(ok.text, /<code class="secret">[A-Za-z0-9]{16}<\/code>/, 'the temporary password is shown once');
});
