// The JSON API as DESIGN.md "Interfaces" promises it, against the real server and database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, needsmap, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { query, countRows } from '../lib/database.mjs';
import { validAnswers, apiPaths, waitForCampaign } from '../lib/citizens.mjs';

const cyrillic = /[\u0400-\u04FF]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const languages = ['sr-Cyrl', 'sr-Latn', 'en', 'mk'];
const choiceTypes = new Set(['single', 'multiple', 'scale', 'ranking', 'matrix']);

let server;
let paths;

before(async () => {
  server = await startServer();
  paths = apiPaths(server.url);
});

after(async () => {
  await server?.stop();
});

function responsesCount() {
  return countRows(server.database);
}

test('GET /healthz answers 200', async () => {
  const r = await request(`${server.url}/healthz`);
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ok');
});

test('the questionnaire of every demo campaign carries each choice question its choices, named and labelled in sr-Cyrl, sr-Latn, en and mk', async () => {
  for (const campaign of ['citizens', 'users', 'stakeholders', 'providers']) {
    const r = await request(apiPaths(server.url, 'demo', campaign).questionnaire);
    assert.equal(r.status, 200, campaign);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const q = r.json;
    assert.equal(q.name, campaign);
    assert.equal(q.campaign.status, 'open');
    assert.equal(q.campaign.available, true);
    let choiceQuestions = 0;
    for (const section of q.sections) {
      for (const question of section.questions) {
        if (!choiceTypes.has(question.type)) continue;
        ++choiceQuestions;
        const lists = question.type === 'matrix' ? [question.choices, question.rows] : [question.choices];
        for (const list of lists) {
          assert.ok(Array.isArray(list) && list.length > 0,
                    `${campaign}/${question.name} carries its choices as a list, not a reference`);
          const names = new Set();
          for (const choice of list) {
            assert.match(choice.name, /^[a-z0-9_]+$/, `${campaign}/${question.name}`);
            assert.ok(!names.has(choice.name), `${campaign}/${question.name}: ${choice.name} twice`);
            names.add(choice.name);
            for (const language of languages) {
              assert.equal(typeof choice.label?.[language], 'string',
                           `${campaign}/${question.name}/${choice.name} has a ${language} label`);
              assert.ok(choice.label[language].length > 0);
            }
            assert.doesNotMatch(choice.label['sr-Latn'], cyrillic,
                                `${campaign}/${question.name}/${choice.name}: sr-Latn is Latin script`);
          }
        }
      }
    }
    assert.ok(choiceQuestions > 5, `${campaign} has choice questions`);
  }
});

test('a valid citizens response is answered with 201 and an id, and stored as one row', async () => {
  const before = responsesCount();
  const submission = uuid();
  const r = await postJson(paths.responses, { submission_id: submission, answers: validAnswers() });
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.json.id, uuidPattern);
  assert.equal(responsesCount(), before + 1);
  const rows = query(server.database,
                     `SELECT id, answers FROM responses WHERE submission_id = '${submission}'`, { json: true });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].id, r.json.id);
  assert.equal(JSON.parse(rows[0].answers).household_size, 4);
});

test('the same submission_id sent again is answered with 200 and the same id, and stores no second row', async () => {
  const submission = uuid();
  const first = await postJson(paths.responses, { submission_id: submission, answers: validAnswers() });
  assert.equal(first.status, 201, first.text);
  const count = responsesCount();
  const again = await postJson(paths.responses, { submission_id: submission, answers: validAnswers() });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, { id: first.json.id });
  assert.equal(responsesCount(), count);
  assert.equal(countRows(server.database, 'responses', `WHERE submission_id = '${submission}'`), 1);
});

test('an invalid response is answered with 422 and exactly one error, with question and message, per wrong question', async () => {
  const before = responsesCount();
  const { lonely: _, ...answers } = validAnswers({ age_band: '12_17', household_size: 99 });
  const r = await postJson(paths.responses, { submission_id: uuid(), answers });
  assert.equal(r.status, 422, r.text);
  assert.ok(Array.isArray(r.json.errors));
  for (const e of r.json.errors) {
    assert.equal(typeof e.question, 'string');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
  }
  assert.deepEqual(r.json.errors.map((e) => e.question).sort(), ['age_band', 'household_size', 'lonely']);
  assert.equal(responsesCount(), before);
});

test('an empty response gets one error for each required question and none twice', async () => {
  const r = await postJson(paths.responses, { submission_id: uuid(), answers: {} });
  assert.equal(r.status, 422);
  const questions = r.json.errors.map((e) => e.question);
  assert.equal(new Set(questions).size, questions.length, 'one error per question');
  for (const name of Object.keys(validAnswers())) {
    if (name === 'children_under_18') continue; // asked only when the household has more than one member
    assert.ok(questions.includes(name), `${name} is reported as missing`);
  }
  assert.ok(!questions.includes('minority'), 'an optional question is not reported');
});

test('error messages are Cyrillic by default, English with ?lang=en and Latin script with ?lang=sr-Latn', async () => {
  const body = { submission_id: uuid(), answers: validAnswers({ age_band: 'nope', household_size: 99 }) };
  const byDefault = await postJson(paths.responses, body);
  const english = await postJson(`${paths.responses}?lang=en`, body);
  const latin = await postJson(`${paths.responses}?lang=sr-Latn`, body);
  for (const r of [byDefault, english, latin]) assert.equal(r.status, 422);

  for (const e of byDefault.json.errors) assert.match(e.message, cyrillic, e.message);
  for (const e of english.json.errors) {
    assert.doesNotMatch(e.message, cyrillic, e.message);
    assert.ok(e.question, 'each error names its question');
  }
  for (const e of latin.json.errors) {
    assert.doesNotMatch(e.message, cyrillic, e.message);
    assert.match(e.message, /[a-zčćžšđ]/i, e.message);
  }
  // The same error in three languages: three different texts.
  const sizeMessage = (r) => r.json.errors.find((e) => e.question === 'household_size').message;
  assert.equal(new Set([sizeMessage(byDefault), sizeMessage(english), sizeMessage(latin)]).size, 3);
  // Latin is the transliteration of the Cyrillic message: "број" becomes "broj".
  assert.match(sizeMessage(byDefault), /број/i);
  assert.match(sizeMessage(latin), /broj/i);
});

test('Accept-Language chooses the language of messages when the URL names none', async () => {
  const r = await postJson(paths.responses, { submission_id: uuid(), answers: {} }, { 'accept-language': 'en-GB,en;q=0.8' });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors.find((e) => e.question === 'household_size').message,
               'Please enter the number of household members.');
});

test('a campaign closed with `campaign close` answers 409 with a message and stores nothing', async () => {
  const created = needsmap(['campaign', 'create', '--db', server.database, '--municipality', 'demo',
                            '--campaign', 'closed-now', '--questionnaire', 'citizens']);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(needsmap(['campaign', 'open', '--db', server.database, '--campaign', 'demo/closed-now']).status, 0);
  await waitForCampaign(server.url, 'demo', 'closed-now', (c) => c.available === true);
  const url = apiPaths(server.url, 'demo', 'closed-now').responses;
  const open = await postJson(url, { submission_id: uuid(), answers: validAnswers() });
  assert.equal(open.status, 201, 'the campaign takes answers while it is open');

  assert.equal(needsmap(['campaign', 'close', '--db', server.database, '--campaign', 'demo/closed-now']).status, 0);
  await waitForCampaign(server.url, 'demo', 'closed-now', (c) => c.status === 'closed');
  const before = responsesCount();
  const r = await postJson(`${url}?lang=en`, { submission_id: uuid(), answers: validAnswers() });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.errors[0].message, /closed/i);
  assert.equal(responsesCount(), before);
});

test('a campaign past its closing date answers 409 although its status is open', async () => {
  const created = needsmap(['campaign', 'create', '--db', server.database, '--municipality', 'demo',
                            '--campaign', 'ended', '--questionnaire', 'citizens',
                            '--opens', '2020-01-01', '--closes', '2020-02-01']);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(needsmap(['campaign', 'open', '--db', server.database, '--campaign', 'demo/ended']).status, 0);
  const state = await waitForCampaign(server.url, 'demo', 'ended', (c) => c.status === 'open');
  assert.equal(state.available, false);
  const before = responsesCount();
  const r = await postJson(apiPaths(server.url, 'demo', 'ended').responses,
                           { submission_id: uuid(), answers: validAnswers() });
  assert.equal(r.status, 409, r.text);
  assert.ok(r.json.errors[0].message.length > 0);
  assert.equal(responsesCount(), before);
});

test('malformed JSON answers 400 with a message', async () => {
  const before = responsesCount();
  for (const body of ['{"submission_id":', 'not json', '{"answers": {}}}', '']) {
    const r = await postJson(`${paths.responses}?lang=en`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.json.errors[0].message, /JSON/);
  }
  assert.equal(responsesCount(), before);
});

test('a body over 256 KiB answers 413 and stores nothing', async () => {
  const before = responsesCount();
  const answers = validAnswers({ suggestions: 'a'.repeat(300 * 1024) });
  const r = await postJson(paths.responses, { submission_id: uuid(), answers });
  assert.equal(r.status, 413);
  assert.equal(responsesCount(), before);
  const health = await request(`${server.url}/healthz`);
  assert.equal(health.status, 200, 'the server still answers');
});

test('a body over 256 KiB sent to the API gets its 413 as a JSON error that says what is wrong', async () => {
  const r = await postJson(`${paths.responses}?lang=en`,
                           { submission_id: uuid(), answers: validAnswers({ suggestions: 'a'.repeat(300 * 1024) }) });
  assert.equal(r.status, 413);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.ok(r.json?.errors?.[0]?.message, r.text.slice(0, 200));
});

test('an unknown municipality or campaign answers 404 on the questionnaire, the responses and the respondent page', async () => {
  for (const [m, c] of [['nowhere', 'citizens'], ['demo', 'nothing']]) {
    const p = apiPaths(server.url, m, c);
    const q = await request(p.questionnaire);
    assert.equal(q.status, 404, `${m}/${c} questionnaire`);
    assert.ok(q.json.errors[0].message.length > 0);
    const s = await postJson(p.responses, { submission_id: uuid(), answers: validAnswers() });
    assert.equal(s.status, 404, `${m}/${c} responses`);
    const page = await request(p.page);
    assert.equal(page.status, 404, `${m}/${c} page`);
  }
  assert.equal((await request(`${server.url}/api/v1/campaigns/demo/citizens/nothing`)).status, 404);
});

test('an API 404 speaks the language asked for with ?lang', async () => {
  const r = await request(`${apiPaths(server.url, 'nowhere', 'citizens').questionnaire}?lang=en`);
  assert.equal(r.status, 404);
  assert.doesNotMatch(r.json.errors[0].message, cyrillic, r.json.errors[0].message);
});

test('a wrong method answers 405 and names the allowed methods', async () => {
  const cases = [
    ['GET', paths.responses, /POST/],
    ['PUT', paths.responses, /POST/],
    ['DELETE', paths.questionnaire, /GET/],
    ['POST', paths.questionnaire, /GET/],
    ['POST', `${server.url}/healthz`, /GET/],
  ];
  for (const [method, url, allow] of cases) {
    const r = await request(url, { method, body: method === 'GET' ? undefined : '{}' });
    assert.equal(r.status, 405, `${method} ${url}`);
    assert.match(r.headers.get('allow') ?? '', allow, `${method} ${url}`);
  }
});

test('an API 405 says what is wrong as a JSON error in the requested language', async () => {
  const r = await request(`${paths.responses}?lang=sr-Cyrl`, { method: 'GET' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.json?.errors?.[0]?.message ?? '', cyrillic, r.text);
});
