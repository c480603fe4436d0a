// Signing in safely: argon2id-hashed passwords, a random session in an HttpOnly SameSite=Strict
// cookie stored only as a hash, CSRF tokens on every form, throttled guessing, sign-out and
// password change that end sessions, and answers that stay inert text in every admin page and
// export. Also `needsmap user add`, which reads the password from standard input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, needsmap, uuid } from '../lib/server.mjs';
import { request, postJson, postForm, cookiesFrom, hiddenField } from '../lib/http.mjs';
import { query } from '../lib/database.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';
import { parseCsv } from '../lib/csv.mjs';

let server;
let accounts;

before(async () => {
  server = await startServer();
  accounts = await demoAccounts(server);
});

after(async () => server?.stop());

test('the session cookie is random, HttpOnly, SameSite=Strict, limited to /admin, and stored only as a hash', async () => {
  const page = await request(`${server.url}/admin/login`);
  const login = cookiesFrom(page.headers).nm_login;
  const r = await postForm(`${server.url}/admin/login`, [
    ['_csrf', hiddenField(page.text, '_csrf')], ['email', accounts.coordinator.email], ['password', accounts.coordinator.password],
  ], { cookie: `nm_login=${login}` });
  assert.equal(r.status, 303);
  const header = r.headers.getSetCookie().find((c) => c.startsWith('nm_admin='));
  assert.match(header, /^nm_admin=[A-Za-z0-9_-]{43};/, '256 random bits');
  assert.match(header, /; HttpOnly/);
  assert.match(header, /; SameSite=Strict/);
  assert.match(header, /; Path=\/admin/);
  const token = header.slice('nm_admin='.length, header.indexOf(';'));
  const stored = query(server.database, 'SELECT token_hash FROM sessions', { json: true });
  assert.ok(stored.length >= 1);
  assert.ok(stored.every((s) => s.token_hash !== token && !s.token_hash.includes(token)), 'the token itself is not stored');
  const hashes = query(server.database, 'SELECT password_hash FROM users', { json: true });
  assert.ok(hashes.every((u) => u.password_hash.startsWith('$argon2id$')), 'passwords are argon2id hashes');
  assert.ok(hashes.every((u) => !u.password_hash.includes(accounts.coordinator.password)));
});

test('a wrong password and an unknown address get the same answer, and nothing is signed in', async () => {
  const s = new AdminSession(server.url);
  const wrong = await s.signIn(accounts.analyst.email, 'not the password at all');
  const unknown = await s.signIn('nobody@example.org', 'not the password at all');
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.match(wrong.text, /Е-адреса или лозинка нису тачни/);
  assert.match(unknown.text, /Е-адреса или лозинка нису тачни/);
  assert.equal(cookiesFrom(wrong.headers).nm_admin, undefined);
});

test('the sign-in form needs its own CSRF token', async () => {
  const r = await postForm(`${server.url}/admin/login`, [['email', accounts.analyst.email], ['password', accounts.analyst.password]]);
  assert.equal(r.status, 403);
  assert.equal(cookiesFrom(r.headers).nm_admin, undefined);
});

test('every form of a signed-in user needs the session CSRF token', async () => {
  const s = new AdminSession(server.url);
  assert.equal((await s.signIn(accounts.coordinator.email, accounts.coordinator.password)).status, 303);
  assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
  const path = '/admin/m/demo/c/users/status';
  assert.equal((await s.post(path, [['status', 'closed']], { csrf: null })).status, 403, 'no token');
  assert.equal((await s.post(path, [['status', 'closed']], { csrf: 'x'.repeat(43) })).status, 403, 'a wrong token');
  const other = new AdminSession(server.url);
  await other.signIn(accounts.national_admin.email, accounts.national_admin.password);
  assert.equal((await s.post(path, [['status', 'closed']], { csrf: other.csrf })).status, 403, "another session's token");
  const status = await request(apiPaths(server.url, 'demo', 'users').questionnaire);
  assert.equal(status.status, 200, 'the campaign is still open');
  const ok = await s.post(path, [['status', 'closed']]);
  assert.equal(ok.status, 303);
  assert.equal((await s.post(path, [['status', 'open']])).status, 303);
});

test('repeated failures lock the account for a while, even for the right password', async () => {
  const s = new AdminSession(server.url);
  for (let i = 0; i < 5; ++i) assert.equal((await s.signIn(accounts.interviewer.email, `wrong ${i}`)).status, 401);
  const locked = await s.signIn(accounts.interviewer.email, accounts.interviewer.password);
  assert.equal(locked.status, 429);
  assert.match(locked.text, /Превише неуспешних покушаја/);
  assert.equal(cookiesFrom(locked.headers).nm_admin, undefined);
  // The failures are shared through the database (any server sees them), keyed without the address.
  const keys = query(server.database, 'SELECT key FROM login_failures', { json: true }).map((r) => r.key);
  assert.ok(keys.includes(`account:${accounts.interviewer.email}`));
  assert.ok(keys.some((k) => /^source:[0-9a-f]{64}$/.test(k)), 'the source is a keyed hash');
  assert.ok(keys.every((k) => !k.includes('127.0.0.1')));
});

test('signing out and changing the password end sessions', async () => {
  const a = new AdminSession(server.url);
  const b = new AdminSession(server.url);
  await a.signIn(accounts['coordinator@susedna'].email, accounts['coordinator@susedna'].password);
  await b.signIn(accounts['coordinator@susedna'].email, accounts['coordinator@susedna'].password);
  assert.equal((await a.get('/admin/m/susedna')).status, 200);
  const out = await a.post('/admin/logout');
  assert.equal(out.status, 303);
  assert.equal((await a.get('/admin/m/susedna')).status, 303, 'the old cookie no longer signs in');
  assert.equal((await b.get('/admin/m/susedna')).status, 200, 'the other browser is still in');

  const tooShort = await b.post('/admin/password', [['current', accounts['coordinator@susedna'].password], ['new', 'short']]);
  assert.equal(tooShort.status, 422);
  assert.match(tooShort.text, /најмање 10 знакова/);
  const wrong = await b.post('/admin/password', [['current', 'wrong password'], ['new', 'a new long password']]);
  assert.equal(wrong.status, 422);
  const changed = await b.post('/admin/password', [['current', accounts['coordinator@susedna'].password], ['new', 'ново дугачко геслo 2026']]);
  assert.equal(changed.status, 200);
  assert.equal((await b.get('/admin/m/susedna')).status, 303, 'every session ends with the change');
  const again = new AdminSession(server.url);
  assert.equal((await again.signIn(accounts['coordinator@susedna'].email, accounts['coordinator@susedna'].password)).status, 401);
  assert.equal((await again.signIn(accounts['coordinator@susedna'].email, 'ново дугачко геслo 2026')).status, 303);
});

test('answers and names holding markup, quotes, SQL and right-to-left marks are stored verbatim and shown inert', async () => {
  const hostile = `<script>alert(1)</script> "quoted" 'single' '; DROP TABLE responses; -- \u202Eevil\u202C <img src=x onerror=alert(2)>`;
  const submission = uuid();
  const r = await postJson(apiPaths(server.url).responses, { submission_id: submission, answers: validAnswers({ suggestions: hostile }) });
  assert.equal(r.status, 201);
  const [row] = query(server.database, `SELECT answers FROM responses WHERE submission_id = '${submission}'`, { json: true });
  assert.equal(JSON.parse(row.answers).suggestions, hostile, 'stored verbatim');

  const s = new AdminSession(server.url);
  await s.signIn(accounts.coordinator.email, accounts.coordinator.password);
  // A contact and a user's name with the same text.
  assert.equal((await s.post('/admin/m/demo/c/citizens/settings', [['contact', hostile], ['opens', ''], ['closes', '']])).status, 303);
  assert.equal((await s.post('/admin/m/demo/users', [['email', 'hostile@example.org'], ['role', 'analyst'], ['display_name', hostile]])).status, 200);
  for (const path of ['/admin', '/admin/m/demo', '/admin/m/demo/c/citizens', '/admin/m/demo/users', '/admin/m/demo/audit']) {
    const page = await s.get(path);
    assert.equal(page.status, 200, path);
    assert.doesNotMatch(page.text, /<script>alert|<img src=x/, `${path} holds no live markup`);
    assert.match(page.headers.get('content-security-policy'), /default-src 'none'/, path);
    assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
    assert.doesNotMatch(page.headers.get('content-security-policy'), /unsafe-inline/, path);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer', path);
  }
  const campaign = (await s.get('/admin/m/demo/c/citizens')).text;
  assert.ok(campaign.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the contact is shown, escaped');
  const users = (await s.get('/admin/m/demo/users')).text;
  assert.ok(users.includes('&lt;img src=x onerror=alert(2)&gt;'), "the user's name is shown, escaped");
  const csv = await s.get('/admin/m/demo/c/citizens/export?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment/);
  const [header, ...records] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
  const column = header.indexOf('suggestions');
  assert.ok(column > 0);
  assert.ok(records.some((rec) => rec[column] === hostile), 'the export holds the answer verbatim');
  const audit = query(server.database, "SELECT action, object FROM audit_log WHERE action = 'export'", { json: true });
  assert.ok(audit.some((a) => a.object === 'demo/citizens'), 'the export is in the audit log');
  const linked = query(server.database, 'SELECT * FROM audit_log', { json: true });
  assert.ok(linked.every((a) => !JSON.stringify(a).includes(submission)), 'the audit log never names a response');
});

test('user add reads the password from standard input and the account can sign in', async () => {
  const added = needsmap(['user', 'add', '--db', server.database, '--email', 'Nova.Koordinatorka@Example.ORG',
                          '--role', 'coordinator', '--municipality', 'susedna'], { input: 'дугачка лозинка за тест\n' });
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /added nova\.koordinatorka@example\.org as coordinator/);
  const s = new AdminSession(server.url);
  assert.equal((await s.signIn('nova.koordinatorka@example.org', 'дугачка лозинка за тест')).status, 303);
  assert.equal((await s.get('/admin/m/susedna')).status, 200);
  assert.equal((await s.get('/admin/m/demo')).status, 403);
  const short = needsmap(['user', 'add', '--db', server.database, '--email', 'x@example.org', '--role', 'analyst',
                          '--municipality', 'demo'], { input: 'short\n' });
  assert.equal(short.status, 1);
  assert.match(short.stderr, /at least 10 characters/);
  const noPlace = needsmap(['user', 'add', '--db', server.database, '--email', 'y@example.org', '--role', 'analyst'], { input: 'long enough password\n' });
  assert.equal(noPlace.status, 1);
  assert.match(noPlace.stderr, /needs --municipality/);
  const twice = needsmap(['user', 'add', '--db', server.database, '--email', 'nova.koordinatorka@example.org', '--role', 'analyst',
                          '--municipality', 'demo'], { input: 'long enough password\n' });
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /exists already/);
});
