// The campaign window driven from the command line, and `questionnaire check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid, repoRoot } from '../lib/server.mjs';
import { request, postJson, postForm, heading } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, countRows } from '../lib/database.mjs';
import { validAnswers, apiPaths, waitForCampaign } from '../lib/citizens.mjs';

function campaignLine(db, slug) {
  const listed = needsmap(['campaign', 'list', '--db', db]);
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split('\n').find((l) => l.startsWith(`${slug}\t`));
}

test('a campaign opened before its opening date says it is not yet open, then closed once closed, and its API answers 409 throughout', async (t) => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'campaigns.db');
  let server;
  t.after(async () => { await server?.stop(); dropDatabase(db); rmSync(dir, { recursive: true, force: true }); });

  const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'test', '--municipality-name', 'Тест',
                            '--campaign', 'c1', '--questionnaire', 'citizens', '--opens', '2099-03-01',
                            '--contact', 'anketa@test.example']);
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /test\/c1/);
  assert.match(campaignLine(db, 'test/c1'), /^test\/c1\tdraft\t0 responses$/);

  server = await startServer({ demo: false, db });
  const paths = apiPaths(server.url, 'test', 'c1');
  const submit = () => postJson(`${paths.responses}?lang=en`, { submission_id: uuid(), answers: validAnswers() });

  // A draft campaign is not shown to respondents at all.
  assert.equal((await request(paths.page)).status, 404);
  assert.ok([404, 409].includes((await submit()).status));

  const opened = needsmap(['campaign', 'open', '--db', db, '--campaign', 'test/c1']);
  assert.equal(opened.status, 0, opened.stderr);
  assert.match(campaignLine(db, 'test/c1'), /^test\/c1\topen\t0 responses$/);
  await waitForCampaign(server.url, 'test', 'c1', (c) => c.status === 'open');

  const notYet = await request(paths.page);
  assert.equal(notYet.status, 200);
  assert.match(notYet.text, /Упитник још није отворен\. Отвара се [^<]*2099/);
  assert.doesNotMatch(notYet.text, /value="start"/, 'no Start button before the campaign opens');
  const notYetApi = await submit();
  assert.equal(notYetApi.status, 409);
  assert.match(notYetApi.json.errors[0].message, /not open for answers yet/);
  const described = (await request(paths.questionnaire)).json.campaign;
  assert.equal(described.status, 'open');
  assert.equal(described.available, false);
  assert.match(described.opens_at, /^2099-03-01/);
  assert.equal((await postForm(paths.page, [['_action', 'start']])).status, 409, 'no questionnaire can be started');

  const closed = needsmap(['campaign', 'close', '--db', db, '--campaign', 'test/c1']);
  assert.equal(closed.status, 0, closed.stderr);
  assert.match(closed.stdout, /test\/c1 is now closed/);
  assert.match(campaignLine(db, 'test/c1'), /^test\/c1\tclosed\t0 responses$/);
  await waitForCampaign(server.url, 'test', 'c1', (c) => c.status === 'closed');
  const closedPage = await request(`${paths.page}?lang=sr-Latn`);
  assert.equal(closedPage.status, 200);
  assert.match(closedPage.text, /Upitnik je zatvoren\./);
  assert.doesNotMatch(closedPage.text, /value="start"/);
  const closedApi = await submit();
  assert.equal(closedApi.status, 409);
  assert.match(closedApi.json.errors[0].message, /closed/);
  assert.equal(countRows(db), 0, 'nothing was stored');
});

test('a campaign created and opened from the command line runs under its municipality\'s name and counts its responses in the list', async (t) => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'campaigns.db');
  let server;
  t.after(async () => { await server?.stop(); dropDatabase(db); rmSync(dir, { recursive: true, force: true }); });
  for (const args of [
    ['campaign', 'create', '--db', db, '--municipality', 'test', '--municipality-name', 'Тест', '--campaign', 'now',
     '--questionnaire', 'citizens', '--contact', 'anketa@test.example'],
    ['campaign', 'create', '--db', db, '--municipality', 'test', '--campaign', 'later', '--questionnaire', 'users'],
    ['campaign', 'open', '--db', db, '--campaign', 'test/now'],
  ]) {
    const r = needsmap(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  server = await startServer({ demo: false, db });
  const paths = apiPaths(server.url, 'test', 'now');
  const intro = await request(paths.page);
  assert.equal(intro.status, 200);
  assert.match(intro.text, /Истраживање спроводи Тест\./);
  assert.match(intro.text, /anketa@test\.example/);
  assert.match((await request(`${paths.page}?lang=sr-Latn`)).text, /Istraživanje sprovodi Test\./);
  assert.equal((await postJson(paths.responses, { submission_id: uuid(), answers: validAnswers() })).status, 201);
  assert.match(campaignLine(db, 'test/now'), /^test\/now\topen\t1 responses?$/);
  assert.match(campaignLine(db, 'test/later'), /^test\/later\tdraft\t0 responses$/);
});

test('opening a campaign that does not exist fails with a message', () => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'x.db');
  try {
    const r = needsmap(['campaign', 'open', '--db', db, '--campaign', 'nowhere/nothing']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no campaign nowhere\/nothing/);
    const bad = needsmap(['campaign', 'close', '--db', db, '--campaign', 'no-slash']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /MUNICIPALITY\/CAMPAIGN/);
  } finally {
    dropDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

const text = (s) => ({ 'sr-Cyrl': s });

function brokenQuestionnaire() {
  return {
    format: 'needsmap-questionnaire/1',
    name: 'broken',
    version: '1',
    title: text('Покварен упитник'),
    sections: [{
      name: 'first',
      title: text('Прва страна'),
      questions: [
        { name: 'age', type: 'integer', label: text('Колико имате година?') },
        { name: 'follow_up', type: 'text', label: text('Зашто?'), relevant: '${agee} > 3' },
        { name: 'bad_expression', type: 'text', label: text('Лош израз'), relevant: '${age} > > 3' },
        { name: 'age', type: 'text', label: text('Поново године') },
        { name: 'no_cyrillic', type: 'text', label: { en: 'English only' } },
        { name: 'strange_function', type: 'text', label: text('Функција'), constraint: 'frobnicate(.)' },
      ],
    }],
  };
}

function check(file) {
  const r = needsmap(['questionnaire', 'check', file]);
  return { ...r, output: `${r.stdout}\n${r.stderr}` };
}

test('questionnaire check reports every error of a broken questionnaire with the file, the question and the position', (t) => {
  const dir = temporaryDirectory();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(brokenQuestionnaire(), null, 2));
  const r = check(file);
  assert.notEqual(r.status, 0);
  const lines = r.output.split('\n').filter((l) => l.trim());
  const line = (pattern) => {
    const found = lines.find((l) => pattern.test(l));
    assert.ok(found, `${pattern} in:\n${r.output}`);
    assert.ok(found.startsWith(file), `the line names the file: ${found}`);
    return found;
  };
  assert.match(line(/"follow_up"/), /unknown question \$\{agee\} at 1/);
  assert.match(line(/"bad_expression"/), /at \d+/);
  assert.match(line(/"age".*duplicate/), /duplicate name 'age'/);
  assert.match(line(/"no_cyrillic"/), /sr-Cyrl/);
  assert.match(line(/"strange_function"/), /frobnicate/);
});

test('questionnaire check points at each error with a JSON pointer that exists in the file', (t) => {
  const dir = temporaryDirectory();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(brokenQuestionnaire(), null, 2));
  const r = check(file);
  assert.notEqual(r.status, 0);
  assert.match(r.output, /"follow_up" \(\/sections\/0\/questions\/1\/relevant\)/);
  assert.match(r.output, /"bad_expression" \(\/sections\/0\/questions\/2\/relevant\)/);
  assert.match(r.output, /"strange_function" \(\/sections\/0\/questions\/5\/constraint\)/);
});

test('questionnaire check refuses calculations that depend on each other in a cycle and names them', (t) => {
  const dir = temporaryDirectory();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cycle.json');
  const q = brokenQuestionnaire();
  q.sections[0].questions = [
    { name: 'age', type: 'integer', label: text('Колико имате година?') },
    { name: 'calc_a', type: 'calculate', calculation: '${calc_b} + 1' },
    { name: 'calc_b', type: 'calculate', calculation: '${calc_a} + ${age}' },
  ];
  writeFileSync(file, JSON.stringify(q));
  const r = check(file);
  assert.notEqual(r.status, 0);
  assert.match(r.output, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:.*cycle`, 'm'));
  assert.match(r.output, /calc_a/);
  assert.match(r.output, /calc_b/);
});

test('questionnaire check accepts every bundled questionnaire', () => {
  const dir = join(repoRoot, 'questionnaires');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  assert.ok(files.length >= 4);
  const r = needsmap(['questionnaire', 'check', ...files]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of files) assert.match(r.stdout, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ok`));
});

test('campaign create refuses a broken questionnaire and creates nothing', (t) => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'x.db');
  t.after(() => { dropDatabase(db); rmSync(dir, { recursive: true, force: true }); });
  const file = join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(brokenQuestionnaire()));
  const r = needsmap(['campaign', 'create', '--db', db, '--municipality', 'test', '--municipality-name', 'Тест',
                      '--campaign', 'bad', '--questionnaire', file]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /agee/);
  assert.equal(countRows(db, 'campaigns'), 0);
  assert.equal(countRows(db, 'questionnaire_versions'), 0);
});
