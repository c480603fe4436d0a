// Interviewers of the Centre for Social Work enter interviews and paper forms for people who
// cannot answer online: the respondent's own pages, inside the administration, for the
// interviewer's campaign only; each response keeps its mode and, like every response, no name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { request } from '../lib/http.mjs';
import { query, responseIds, responsesSince } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent } from '../lib/citizens.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';

let server;
let questionnaire;
let interviewer;

before(async () => {
  server = await startServer();
  questionnaire = (await request(apiPaths(server.url).questionnaire)).json;
  const accounts = await demoAccounts(server);
  interviewer = new AdminSession(server.url);
  assert.equal((await interviewer.signIn(accounts.interviewer.email, accounts.interviewer.password)).status, 303);
});

after(async () => server?.stop());

// Fills the questionnaire through the administration as the signed-in user.
async function enter(session, mode, answers) {
  const page = `${server.url}/admin/m/demo/c/citizens/entry/${mode}`;
  const respondent = new Respondent(page, questionnaire, { headers: { cookie: session.cookie } });
  const start = await respondent.start();
  assert.equal(start.status, 200, `the ${mode} entry starts`);
  respondent.cookie = `${respondent.cookie}; ${session.cookie}`;
  const done = await respondent.finish(answers);
  assert.equal(done.status, 303);
  assert.match(done.headers.get('location'), new RegExp(`/admin/m/demo/c/citizens/entry/${mode}/thanks`));
  const thanks = await session.get(new URL(done.headers.get('location'), server.url).pathname + '?lang=sr-Cyrl');
  assert.equal(thanks.status, 200);
  assert.match(thanks.text, /Одговори су сачувани/);
  assert.match(thanks.text, new RegExp(`href="/admin/m/demo/c/citizens/entry/${mode}\\?lang=sr-Cyrl"`), 'a link to enter the next one');
}

test('the home page offers the interviewer its campaign, for interviews and paper forms', async () => {
  const home = await interviewer.get('/admin');
  assert.equal(home.status, 200);
  assert.match(home.text, /href="\/admin\/m\/demo\/c\/citizens\/entry\/interview\?lang=sr-Cyrl"/);
  assert.match(home.text, /href="\/admin\/m\/demo\/c\/citizens\/entry\/paper\?lang=sr-Cyrl"/);
  assert.doesNotMatch(home.text, /entry\/interview[^"]*"[^>]*>[^<]*<\/a>[\s\S]*susedna/);
});

test('an interviewer enters two interviews and a paper form; each keeps its mode and nothing about the person', async () => {
  const before = responseIds(server.database);
  await enter(interviewer, 'interview', validAnswers({ suggestions: 'интервју један' }));
  await enter(interviewer, 'interview', validAnswers({ suggestions: 'интервју два', age_band: '80_plus' }));
  await enter(interviewer, 'paper', validAnswers({ suggestions: 'са папира' }));
  const rows = responsesSince(server.database, before);
  assert.equal(rows.length, 3);
  const byText = Object.fromEntries(rows.map((r) => [JSON.parse(r.answers).suggestions, r]));
  assert.equal(byText['интервју један'].mode, 'interview');
  assert.equal(byText['интервју два'].mode, 'interview');
  assert.equal(byText['са папира'].mode, 'paper');
  const columns = Object.keys(rows[0]).sort();
  assert.deepEqual(columns, ['answers', 'campaign_id', 'id', 'language', 'mode', 'submission_id', 'submitted_on']);
  const users = query(server.database, 'SELECT id FROM users', { json: true });
  assert.ok(rows.every((r) => !users.some((u) => String(r.submission_id) === String(u.id))), 'no link to the interviewer');
});

test("the interviewer cannot enter responses for a campaign that is not theirs, or use another's admin pages", async () => {
  for (const path of ['/admin/m/demo/c/users/entry/interview', '/admin/m/susedna/c/citizens/entry/interview',
                      '/admin/m/demo/c/citizens', '/admin/m/demo/c/citizens/export?format=csv']) {
    assert.equal((await interviewer.get(path)).status, 403, path);
  }
  assert.equal((await interviewer.get('/admin/m/demo/c/citizens/entry/telepathy')).status, 404);
});

test('without signing in there is no entry', async () => {
  const r = await request(`${server.url}/admin/m/demo/c/citizens/entry/interview`);
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/admin\/login/);
});

test('a coordinator downloads the answers as SPSS and XLSX from the browser, read back by ReadStat and unzip', async () => {
  const { writeFileSync, readFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const accounts = await demoAccounts(server);
  const coordinator = new AdminSession(server.url);
  assert.equal((await coordinator.signIn(accounts.coordinator.email, accounts.coordinator.password)).status, 303);
  const page = (await coordinator.get('/admin/m/demo/c/citizens')).text;
  assert.match(page, /format=sav/);
  assert.match(page, /format=xlsx/);
  const dir = mkdtempSync(join(tmpdir(), 'needsmap-admin-export-'));
  try {
    const sav = await fetch(`${server.url}/admin/m/demo/c/citizens/export?format=sav`, { headers: { cookie: coordinator.cookie } });
    assert.equal(sav.status, 200);
    assert.match(sav.headers.get('content-disposition'), /demo-citizens\.sav/);
    writeFileSync(join(dir, 'a.sav'), Buffer.from(await sav.arrayBuffer()));
    const read = spawnSync('readstat', [join(dir, 'a.sav'), join(dir, 'a.csv')], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    const csv = readFileSync(join(dir, 'a.csv'), 'utf8');
    const stored = query(server.database, "SELECT mode FROM responses r JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug = 'citizens' AND c.municipality_id = (SELECT id FROM municipalities WHERE slug = 'demo')", { json: true });
    assert.equal(csv.trim().split('\n').length - 1, stored.length, 'one row per stored response');
    assert.equal((csv.match(/"?paper"?/g) ?? []).length, stored.filter((r) => r.mode === 'paper').length);
    const xlsx = await fetch(`${server.url}/admin/m/demo/c/citizens/export?format=xlsx`, { headers: { cookie: coordinator.cookie } });
    assert.equal(xlsx.status, 200);
    writeFileSync(join(dir, 'a.xlsx'), Buffer.from(await xlsx.arrayBuffer()));
    const listing = spawnSync('unzip', ['-l', join(dir, 'a.xlsx')], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    assert.match(listing.stdout, /xl\/worksheets\/sheet1\.xml/);
    assert.match(listing.stdout, /xl\/worksheets\/sheet2\.xml/, 'the codebook sheet');
    const audit = query(server.database, "SELECT details FROM audit_log WHERE action = 'export'", { json: true }).map((r) => r.details);
    assert.ok(audit.includes('format=sav') && audit.includes('format=xlsx'), 'both downloads are in the audit log');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
