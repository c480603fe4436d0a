// Limits that keep one client from costing everyone else: rate limits on starting and sending,
// the size of a draft, the number of errors reported, and campaigns that are not public yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, needsmap, uuid } from '../lib/server.mjs';
import { request, postJson, postForm, hiddenField } from '../lib/http.mjs';
import { countRows } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent, startDemo } from '../lib/citizens.mjs';

// One demo server for the whole file.
let server, paths, questionnaire;
before(async () => ({ server, paths, questionnaire } = await startDemo()));
after(async () => server?.stop());

test('a flood of unknown question names gets a short list of errors, not one per name', async () => {
  const answers = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`unknown_${i}`, i]));
  const r = await postJson(paths.responses, { submission_id: uuid(), answers });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors.length, 50);
  assert.ok(r.json.errors.every((e) => e.code === 'unknown_question'));
});

test('a draft larger than one person could type is refused with 413 and not saved', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const drafts = countRows(server.database, 'drafts');
  const html = respondent.page.text;
  const lastPage = String(questionnaire.sections.length - 1);
  const r = await postForm(new URL(`/s/demo/citizens?lang=sr-Cyrl`, server.url).href, [
    ['_draft', hiddenField(html, '_draft')], ['_page', lastPage], ['_lang', 'sr-Cyrl'],
    ['suggestions', 'ж'.repeat(40000)], ['_action', 'next'],
  ], { cookie: respondent.cookie });
  assert.equal(r.status, 413);
  assert.equal(countRows(server.database, 'drafts'), drafts);
  // The draft as it was is still there: a normal page still works.
  const page = await respondent.post(respondent.fieldsForPage(validAnswers()));
  assert.equal(page.status, 200);
});

test('a campaign that was created but never opened does not exist for respondents', async () => {
  assert.equal(needsmap(['campaign', 'create', '--db', server.database, '--municipality', 'demo',
                         '--campaign', 'hidden', '--questionnaire', 'users']).status, 0);
  for (const path of ['/s/demo/hidden', '/s/demo/hidden/thanks',
                      '/api/v1/campaigns/demo/hidden/questionnaire']) {
    const r = await request(new URL(path, server.url).href);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.text, /Упитник за кориснике|корисник/i, `${path} shows nothing of it`);
  }
  const started = await postForm(new URL('/s/demo/hidden', server.url).href, [['_action', 'start']]);
  assert.equal(started.status, 404);
});

test('starting questionnaires counts against the rate limit, as sending does', async () => {
  const limited = await startServer({ rateLimit: '2/min' });
  try {
    const url = new URL('/s/demo/citizens', limited.url).href;
    const statuses = [];
    for (let i = 0; i < 3; ++i) statuses.push((await postForm(url, [['_action', 'start']])).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(countRows(limited.database, 'drafts'), 2);
    const api = await postJson(apiPaths(limited.url).responses,
                               { submission_id: uuid(), answers: validAnswers() });
    assert.equal(api.status, 429, 'the same address is limited on the API too');
    assert.equal(countRows(limited.database), 0);
  } finally {
    await limited.stop();
  }
});

test('behind a trusted proxy the rate limit counts the address the proxy names, and nobody else can name one', async () => {
  const behindProxy = await startServer({ rateLimit: '2/min', extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  const direct = await startServer({ rateLimit: '2/min' });
  try {
    const send = (server, realIp) => postJson(apiPaths(server.url).responses,
                                              { submission_id: uuid(), answers: validAnswers() },
                                              { 'X-Real-IP': realIp });
    const statuses = async (server, ips) => {
      const out = [];
      for (const ip of ips) out.push((await send(server, ip)).status);
      return out;
    };
    // Two respondents behind one proxy each get their own allowance.
    assert.deepEqual(await statuses(behindProxy, ['203.0.113.7', '203.0.113.7', '203.0.113.7', '198.51.100.9']),
                     [201, 201, 429, 201]);
    // From a peer that is not a trusted proxy the header is ignored: changing it does not help.
    assert.deepEqual(await statuses(direct, ['203.0.113.7', '198.51.100.9', '192.0.2.1']), [201, 201, 429]);
  } finally {
    await behindProxy.stop();
    await direct.stop();
  }
});

test('a trusted proxy must be given as an IP address', () => {
  const r = needsmap(['serve', '--db', '/nonexistent/x.db', '--trusted-proxy', 'proxy.example']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /not an IP address: proxy\.example/);
});
