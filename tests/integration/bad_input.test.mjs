// Bad input of every kind gets a 4xx with a clear message (never a 500), and nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, needsmap, uuid } from '../lib/server.mjs';
import { request, postJson, postForm, hiddenField, heading } from '../lib/http.mjs';
import { countRows, responseIds, responsesSince } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent, waitForCampaign, startDemo } from '../lib/citizens.mjs';

const cyrillic = /[\u0400-\u04FF]/;

// One demo server for the whole file.
let server, paths, questionnaire;
before(async () => ({ server, paths, questionnaire } = await startDemo()));
after(async () => server?.stop());

function storedResponses() {
  return countRows(server.database);
}

function without(answers, ...names) {
  const copy = { ...answers };
  for (const n of names) delete copy[n];
  return copy;
}

// Sends one bad API submission; checks 4xx, a message, and that no row was added.
async function rejected(body, { query = '?lang=en', status } = {}) {
  const count = storedResponses();
  const r = await postJson(`${paths.responses}${query}`, body);
  assert.ok(r.status >= 400 && r.status < 500, `expected a 4xx, got ${r.status}: ${r.text.slice(0, 300)}`);
  if (status) assert.equal(r.status, status, r.text.slice(0, 300));
  assert.ok(Array.isArray(r.json?.errors) && r.json.errors.length > 0, r.text.slice(0, 300));
  for (const e of r.json.errors) {
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length >= 10, `a clear message: ${JSON.stringify(e)}`);
  }
  assert.equal(storedResponses(), count, 'nothing is stored');
  return r;
}

// A 422 whose errors are exactly for the given questions, each with the given code.
async function refusedAnswers(answers, expected) {
  const r = await rejected({ submission_id: uuid(), answers }, { status: 422 });
  const got = Object.fromEntries(r.json.errors.map((e) => [e.question, e.code]));
  assert.deepEqual(got, expected, JSON.stringify(r.json.errors));
  return r;
}

test('invalid UTF-8 inside a JSON body answers 400 and stores nothing', async () => {
  const prefix = Buffer.from(`{"submission_id":"${uuid()}","answers":${JSON.stringify(validAnswers()).slice(0, -1)},"suggestions":"`);
  const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]);
  const r = await rejected(body, { status: 400 });
  assert.match(r.json.errors[0].message, /JSON/);
  // An escaped lone surrogate is not text either.
  await rejected(`{"submission_id":"${uuid()}","answers":{"suggestions":"\\ud800"}}`, { status: 400 });
});

test('a field given twice in the JSON body answers 400 naming it, in the reader\'s language', async () => {
  const answers = JSON.stringify(validAnswers()).slice(0, -1);
  const body = `{"submission_id":"${uuid()}","answers":${answers},"sex":"male"}}`;
  let r = await rejected(body, { status: 400 });
  assert.match(r.json.errors[0].message, /"sex".*more than once/);
  r = await rejected(body, { query: '', status: 400 });
  assert.match(r.json.errors[0].message, /Поље „sex“/);
  await rejected(`{"submission_id":"${uuid()}","submission_id":"${uuid()}","answers":{}}`, { status: 400 });
});

test('an answer to an unknown question is refused and named in the message', async () => {
  const r = await refusedAnswers(validAnswers({ favourite_colour: 'blue' }), { favourite_colour: 'unknown_question' });
  assert.match(r.json.errors[0].message, /favourite_colour/);
});

test('choices that are not in the list are refused for single, multiple, matrix and ranking questions', async () => {
  let r = await refusedAnswers(validAnswers({ age_band: '12_17' }), { age_band: 'not_a_choice' });
  assert.match(r.json.errors[0].message, /12_17/);
  await refusedAnswers(validAnswers({ risk_factors: ['poverty', 'dragons'] }), { risk_factors: 'not_a_choice' });
  const services = { ...validAnswers().services_known };
  await refusedAnswers(validAnswers({ services_known: { ...services, home_care: 'loved_it' } }),
                       { services_known: 'not_a_choice' });
  r = await refusedAnswers(validAnswers({ services_known: { ...services, teleportation: 'used' } }),
                           { services_known: 'unknown_row' });
  assert.match(r.json.errors[0].message, /teleportation/);
  await refusedAnswers(validAnswers({ top_services: ['home_care', 'free_money'] }), { top_services: 'not_a_choice' });
  await refusedAnswers(validAnswers({ risk_factors: ['poverty', 'poverty'] }), { risk_factors: 'duplicate_choice' });
});

test('numbers out of range are refused with the limit in the message', async () => {
  let r = await refusedAnswers(validAnswers({ household_size: 21 }), { household_size: 'above_maximum' });
  assert.match(r.json.errors[0].message, /20/);
  // (children_under_18 is asked only when the household has more than one member)
  r = await refusedAnswers(without(validAnswers({ household_size: 0 }), 'children_under_18'),
                           { household_size: 'below_minimum' });
  assert.match(r.json.errors[0].message, /1/);
  await refusedAnswers(validAnswers({ caring_duties: 'yes_household', caring_hours: 169 }), { caring_hours: 'above_maximum' });
  await refusedAnswers(validAnswers({ employment: 'unemployed', unemployed_since: 1900 }), { unemployed_since: 'below_minimum' });
  await refusedAnswers(validAnswers({ household_size: 2.5 }), { household_size: 'not_whole_number' });
});

test('a failed constraint is refused with the questionnaire\'s constraint message', async () => {
  let r = await refusedAnswers(validAnswers({ household: 'alone', household_size: 3, children_under_18: 0 }),
                               { household_size: 'constraint' });
  assert.equal(r.json.errors[0].message, 'Enter a number from 1 to 20. If you live alone, enter 1.');
  r = await refusedAnswers(validAnswers({ household_size: 4, children_under_18: 4 }), { children_under_18: 'constraint' });
  assert.match(r.json.errors[0].message, /smaller than the number of household members/);
  await refusedAnswers(validAnswers({ household_size: 2, children_under_18: 7 }), { children_under_18: 'constraint' });
});

test('too many selections are refused with the maximum in the message', async () => {
  const r = await refusedAnswers(validAnswers({ help_source: ['family', 'csr', 'ngo'] }), { help_source: 'too_many' });
  assert.match(r.json.errors[0].message, /2/);
  await refusedAnswers(validAnswers({ barriers: ['cost', 'waiting', 'distrust', 'language'] }), { barriers: 'too_many' });
});

test('an exclusive choice combined with another is refused', async () => {
  await refusedAnswers(validAnswers({ help_source: ['family', 'no_one'] }), { help_source: 'exclusive_combined' });
  await refusedAnswers(validAnswers({ risk_factors: ['none', 'poverty'] }), { risk_factors: 'exclusive_combined' });
  await refusedAnswers(validAnswers({ minority: ['no', 'roma'] }), { minority: 'exclusive_combined' });
});

test('oversized text is refused with the maximum length in the message', async () => {
  const r = await refusedAnswers(validAnswers({ suggestions: 'ж'.repeat(2001) }), { suggestions: 'too_long' });
  assert.match(r.json.errors[0].message, /2,?000/);
  // Length counts characters, not bytes: 2000 Cyrillic letters (4000 bytes) are fine.
  const ok = await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers({ suggestions: 'ж'.repeat(2000) }) });
  assert.equal(ok.status, 201, ok.text);
  await refusedAnswers(validAnswers({ employment: 'other', employment_other: 'x'.repeat(201) }), { employment_other: 'too_long' });
});

test('answers to questions that are not asked given the other answers are refused', async () => {
  await refusedAnswers(validAnswers({ employment: 'employed', unemployed_since: 2020 }), { unemployed_since: 'not_relevant' });
  await refusedAnswers(validAnswers({ household: 'alone', household_size: 1, children_under_18: 0 }),
                       { children_under_18: 'not_relevant' });
  await refusedAnswers(validAnswers({ hh_disability: 'no', hh_disability_who: ['me'] }), { hh_disability_who: 'not_relevant' });
});

test('answers of the wrong JSON type are refused', async () => {
  await refusedAnswers(validAnswers({ household_size: '4' }), { household_size: 'wrong_type' });
  await refusedAnswers(validAnswers({ risk_factors: { poverty: true } }), { risk_factors: 'wrong_type' });
  await refusedAnswers(validAnswers({ risk_factors: 'poverty' }), { risk_factors: 'wrong_type' });
  await refusedAnswers(validAnswers({ age_band: 45 }), { age_band: 'wrong_type' });
  await refusedAnswers(validAnswers({ services_known: ['used'] }), { services_known: 'wrong_type' });
  await refusedAnswers(validAnswers({ top_services: 'home_care' }), { top_services: 'wrong_type' });
  await refusedAnswers(validAnswers({ suggestions: 42 }), { suggestions: 'wrong_type' });
  await refusedAnswers(without(validAnswers({ household_size: true }), 'children_under_18'),
                       { household_size: 'wrong_type' });
  await refusedAnswers(validAnswers({ is_elderly_alone: '1' }), { is_elderly_alone: 'not_answerable' });
});

test('a request that is not an object with answers and a UUID submission_id answers 400', async () => {
  for (const body of [
    { submission_id: 'not-a-uuid', answers: validAnswers() },
    { submission_id: 12345, answers: validAnswers() },
    { submission_id: `${uuid()}x`, answers: validAnswers() },
    { answers: validAnswers() },
    { submission_id: uuid(), answers: [] },
    { submission_id: uuid() },
    { submission_id: uuid(), answers: validAnswers(), extra: true },
    [validAnswers()],
    JSON.stringify('a string'),
    'null',
  ]) {
    const r = await rejected(body, { status: 400 });
    assert.doesNotMatch(r.json.errors[0].message, cyrillic, 'the message is in the requested language');
  }
});

test('a deeply nested JSON body is refused without harming the server', async () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  await rejected(`{"submission_id":"${uuid()}","answers":{"suggestions":${deep}}}`);
  await rejected('['.repeat(200000));
  assert.equal((await request(`${server.url}/healthz`)).status, 200);
});

test('a submission to a campaign that was created but never opened is refused and not stored', async () => {
  const created = needsmap(['campaign', 'create', '--db', server.database, '--municipality', 'demo',
                            '--campaign', 'not-opened', '--questionnaire', 'citizens']);
  assert.equal(created.status, 0, created.stderr);
  const url = apiPaths(server.url, 'demo', 'not-opened').responses;
  const count = storedResponses();
  const r = await postJson(url, { submission_id: uuid(), answers: validAnswers() });
  assert.ok(r.status === 404 || r.status === 409, `${r.status} ${r.text}`);
  assert.ok(r.json.errors[0].message.length > 0);
  assert.equal(storedResponses(), count);
  assert.equal(countRows(server.database, 'responses r JOIN campaigns c ON c.id = r.campaign_id',
                         "WHERE c.slug = 'not-opened'"), 0);
});

test('a submission to a closed campaign answers 409 and is not stored', async () => {
  const db = server.database;
  assert.equal(needsmap(['campaign', 'create', '--db', db, '--municipality', 'demo', '--campaign', 'was-open',
                         '--questionnaire', 'citizens']).status, 0);
  assert.equal(needsmap(['campaign', 'open', '--db', db, '--campaign', 'demo/was-open']).status, 0);
  assert.equal(needsmap(['campaign', 'close', '--db', db, '--campaign', 'demo/was-open']).status, 0);
  await waitForCampaign(server.url, 'demo', 'was-open', (c) => c.status === 'closed');
  const count = storedResponses();
  const r = await postJson(apiPaths(server.url, 'demo', 'was-open').responses,
                           { submission_id: uuid(), answers: validAnswers() });
  assert.equal(r.status, 409);
  assert.match(r.json.errors[0].message, cyrillic);
  assert.equal(storedResponses(), count);
});

test('invalid UTF-8 in a form body answers 400 with a page that says the request is not valid', async () => {
  const count = storedResponses();
  const drafts = countRows(server.database, 'drafts');
  for (const body of [Buffer.from('_action=start&_lang=sr-Cyrl&x=\xff', 'latin1'), '_action=start&x=%FF%FE']) {
    const r = await postForm(paths.page, body);
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.equal(heading(r.text), 'Захтев није исправан.');
  }
  assert.equal(storedResponses(), count);
  assert.equal(countRows(server.database, 'drafts'), drafts, 'no draft was started');
});

test('a refused form post is answered in the language of the page it came from', async () => {
  const r = await postForm(`${paths.page}?lang=en`, '_action=next&_lang=en&x=%FF');
  assert.equal(r.status, 400);
  assert.doesNotMatch(heading(r.text) ?? '', cyrillic, heading(r.text));
});

test('a single-choice question sent twice in one form post is refused beside the question', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const count = storedResponses();
  const r = await respondent.post([['age_band', '45_64'], ['sex', 'female'], ['sex', 'male'], ['settlement', 'urban'],
                                   ['employment', 'employed'], ['income_adequacy', 'difficulty']]);
  assert.equal(r.status, 422);
  assert.equal(hiddenField(r.text, '_page'), '0', 'the same page is shown again');
  assert.match(r.text, /<p class="error-message" id="q-sex-error">/);
  assert.doesNotMatch(r.text, /id="q-age_band-error"/);
  assert.equal(storedResponses(), count);
});

test('text typed into a number field and a choice not on the page are refused on the form', async () => {
  const respondent = new Respondent(`${paths.page}`, questionnaire, { language: 'en' });
  await respondent.start();
  const page0 = await respondent.post([['age_band', 'hacker'], ['sex', 'female'], ['settlement', 'urban'],
                                       ['employment', 'employed'], ['income_adequacy', 'difficulty']]);
  assert.equal(page0.status, 422);
  assert.match(page0.text, /id="q-age_band-error"[^>]*>.*“hacker” is not one of the choices/);
  const page1 = await respondent.post([['age_band', '45_64'], ['sex', 'female'], ['settlement', 'urban'],
                                       ['employment', 'employed'], ['income_adequacy', 'difficulty']]);
  assert.equal(page1.status, 200);
  assert.equal(hiddenField(page1.text, '_page'), '1');
  const refused = await respondent.post([['household', 'couple'], ['household_size', 'two'], ['hh_disability', 'no'],
                                         ['caring_duties', 'no']]);
  assert.equal(refused.status, 422);
  assert.match(refused.text, /id="q-household_size-error"[^>]*>.*enter a number, for example 12/i);
  // The Serbian decimal comma and spaces around a number are understood.
  const accepted = await respondent.post([['household', 'couple'], ['household_size', ' 2 '], ['children_under_18', '0'],
                                          ['hh_disability', 'no'], ['caring_duties', 'no']]);
  assert.equal(accepted.status, 200, accepted.text.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0]);
  assert.equal(hiddenField(accepted.text, '_page'), '2');
});

test('a form post without a valid draft, page or action is refused with a message', async () => {
  const cases = [
    ['_action=next&_page=0', 400],
    [`_action=next&_page=0&_draft=${'A'.repeat(43)}`, 410],
    ['_action=next&_page=0&_draft=short', 400],
  ];
  for (const [body, status] of cases) {
    const r = await postForm(paths.page, body);
    assert.equal(r.status, status, body);
    assert.ok((heading(r.text) ?? '').length > 5, body);
  }
  const respondent = new Respondent(paths.page, questionnaire);
  const start = await respondent.start();
  const draft = hiddenField(start.text, '_draft');
  for (const body of [`_action=fly&_page=0&_draft=${draft}`, `_action=next&_page=99&_draft=${draft}`,
                      `_action=next&_page=x&_draft=${draft}`]) {
    const r = await postForm(paths.page, body);
    assert.equal(r.status, 400, body);
  }
});

test('an answer posted for a question the page does not ask is not stored', async () => {
  const before = responseIds(server.database);
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const r = await respondent.post([['age_band', '45_64'], ['sex', 'female'], ['settlement', 'urban'],
                                   ['employment', 'employed'], ['unemployed_since', '2019'],
                                   ['income_adequacy', 'difficulty']]);
  assert.equal(r.status, 200);
  const done = await respondent.finish(validAnswers());
  assert.equal(done.status, 303);
  const [row] = responsesSince(server.database, before);
  assert.equal(row.mode, 'web');
  const stored = JSON.parse(row.answers);
  assert.equal(stored.employment, 'employed');
  assert.ok(!('unemployed_since' in stored), JSON.stringify(stored));
});

test('malformed paths and queries answer 400 and oversized headers 431, never 500', async () => {
  for (const path of ['/s/%ZZ/citizens', '/s/%FF/citizens', '/s/demo/citizens?lang=%FF']) {
    const r = await request(`${server.url}${path}`);
    assert.equal(r.status, 400, path);
  }
  const big = await request(`${server.url}/healthz`, { headers: { 'x-filler': 'a'.repeat(20000) } });
  assert.equal(big.status, 431);
  const garbage = await new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname, () => socket.end('GARBAGE\r\n\r\n'));
    let data = '';
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error('no answer')); });
    socket.on('data', (d) => { data += d; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  assert.match(garbage, /^HTTP\/1\.1 400 /);
  assert.equal((await request(`${server.url}/healthz`)).status, 200);
});
