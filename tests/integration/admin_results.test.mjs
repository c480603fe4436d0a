// Live monitoring in the administration: responses by date and mode, pages reached, the median
// time to complete, a frequency table with an SVG chart per question — exact for an analyst,
// with small groups hidden (and their complements) for a coordinator. Also the preview of every
// page in every language and the poster download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, temporaryDirectory } from '../lib/server.mjs';
import { request, postJson, unescapeHtml } from '../lib/http.mjs';
import { query } from '../lib/database.mjs';
import { validAnswers, apiPaths, questionIndex, Respondent } from '../lib/citizens.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';
import { storedAnswers } from '../lib/exports.mjs';

let server;
let questionnaire;
const sessions = {};
const results = '/admin/m/demo/c/citizens/results';

before(async () => {
  server = await startServer();
  const paths = apiPaths(server.url);
  questionnaire = (await request(paths.questionnaire)).json;
  const accounts = await demoAccounts(server);
  for (const role of ['analyst', 'coordinator', 'interviewer', 'coordinator@susedna']) {
    sessions[role] = new AdminSession(server.url);
    assert.equal((await sessions[role].signIn(accounts[role].email, accounts[role].password)).status, 303);
  }
  // Six finish on the web: four aged 45–64, two 65–79; one more stops after the first page; two
  // come through the API.
  for (const age of ['45_64', '45_64', '45_64', '45_64', '65_79', '65_79']) {
    const respondent = new Respondent(paths.page, questionnaire);
    await respondent.start();
    assert.equal((await respondent.finish(validAnswers({ age_band: age }))).status, 303);
  }
  const quitter = new Respondent(paths.page, questionnaire);
  await quitter.start();
  assert.equal((await quitter.post(quitter.fieldsForPage(validAnswers()))).status, 200);
  for (let n = 0; n < 2; ++n) {
    const r = await postJson(paths.responses, { submission_id: randomUUID(), answers: validAnswers({ age_band: '80_plus' }) });
    assert.equal(r.status, 201);
  }
});

after(async () => server?.stop());

// The cells of the table row headed `label` inside the element with id `id`.
function row(html, id, label) {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `the page has #${id}`);
  const part = html.slice(start, html.indexOf('</table>', start));
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = part.match(new RegExp(`<th scope="row">${escaped}</th>((?:<td[^>]*>[^<]*</td>)+)`));
  assert.ok(m, `#${id} has a row "${label}"`);
  return [...m[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => unescapeHtml(c[1]));
}

const choiceLabel = (question, choice) =>
  questionIndex(questionnaire).get(question).choices.find((c) => c.name === choice).label['sr-Cyrl'];
const today = () => query(server.database, 'SELECT max(submitted_on) FROM responses').trim();

test('an analyst sees every figure exactly, beside an SVG chart', async () => {
  const page = await sessions.analyst.get(`${results}?lang=sr-Cyrl`);
  assert.equal(page.status, 200);
  const html = page.text;
  assert.match(html, /<dt>Одговора укупно<\/dt><dd>8<\/dd>/);
  assert.match(html, /<dt>Почели упитник<\/dt><dd>7<\/dd>/, 'six finished and one stopped');
  assert.match(html, /<dt>Послали одговоре<\/dt><dd>6 \(85\.7\u00a0%\)<\/dd>/);
  assert.match(html, /<dt>Средње време попуњавања \(медијана\)<\/dt><dd>\d+ мин\./);
  // Responses by date: six on the web and two through the API, today.
  assert.deepEqual(row(html, 'by-date', today()), ['6', '2', '8']);
  // Pages: everyone who started reached the first page; the quitter reached the second too.
  const pages = row(html, 'pages', `1. ${questionnaire.sections[0].title['sr-Cyrl']}`);
  assert.equal(pages[0], '7');
  assert.equal(row(html, 'pages', `2. ${questionnaire.sections[1].title['sr-Cyrl']}`)[0], '7');
  // The age table counts as the database does.
  const stored = [...storedAnswers(server.database, 'citizens').values()].map((r) => r.answers.age_band);
  for (const age of ['45_64', '65_79', '80_plus']) {
    const expected = stored.filter((a) => a === age).length;
    assert.equal(row(html, 'q-age_band', choiceLabel('age_band', age))[0], String(expected), age);
  }
  assert.deepEqual(row(html, 'q-age_band', 'Без одговора').slice(0, 1), ['0']);
  // Charts: one SVG per choice table, labelled, a bar per answer.
  const chart = html.slice(html.indexOf('id="q-age_band"')).match(/<svg[\s\S]*?<\/svg>/)[0];
  assert.match(chart, /role="img" aria-label="[^"]+"/);
  assert.equal([...chart.matchAll(/<rect /g)].length, questionIndex(questionnaire).get('age_band').choices.length + 1);
  assert.doesNotMatch(html, /скривено/, 'nothing is hidden from an analyst');
});

test('a coordinator sees small groups hidden, and the cells that would give them away', async () => {
  const html = (await sessions.coordinator.get(`${results}?lang=sr-Cyrl`)).text;
  assert.match(html, /Бројеви мањи од 5 су скривени/);
  // Two API answers are fewer than five: hidden, and with them the web count of the same day
  // (else 8 − 6 gives 2 back) and the API total.
  assert.deepEqual(row(html, 'by-date', today()), ['скривено', 'скривено', '8']);
  // Two aged 65–79 and two aged 80+: both hidden; four aged 45–64 too.
  assert.equal(row(html, 'q-age_band', choiceLabel('age_band', '65_79'))[0], 'скривено');
  assert.equal(row(html, 'q-age_band', choiceLabel('age_band', '80_plus'))[0], 'скривено');
  assert.equal(row(html, 'q-age_band', choiceLabel('age_band', '45_64'))[0], 'скривено');
  // No table of a question has exactly one hidden cell among figures that add up to a total.
  for (const section of html.split('<section class="result"').slice(1)) {
    if (/Могло се изабрати више одговора/.test(section) || !section.includes('<tfoot>')) continue;
    const body = section.slice(section.indexOf('<tbody>'), section.indexOf('</tfoot>'));
    const hidden = (body.match(/<td class="numeric">скривено<\/td>/g) ?? []).length;
    assert.notEqual(hidden, 1, `a table with one hidden cell: ${section.slice(0, 120)}`);
  }
});

test('results are refused to an interviewer and to another municipality', async () => {
  assert.equal((await sessions.interviewer.get(results)).status, 403);
  assert.equal((await sessions['coordinator@susedna'].get(results)).status, 403);
});

test('every page of the questionnaire can be previewed in every language, and nothing is sent', async () => {
  const before = query(server.database, 'SELECT count(*) FROM drafts').trim();
  for (const language of ['sr-Cyrl', 'sr-Latn', 'en', 'mk']) {
    for (let page = 0; page < questionnaire.sections.length; ++page) {
      const r = await sessions.coordinator.get(`/admin/m/demo/c/citizens/preview?page=${page}&lang=${language}`);
      assert.equal(r.status, 200, `${language} page ${page}`);
      assert.match(r.text, new RegExp(`<html lang="${language}"`));
      const title = questionnaire.sections[page].title[language];
      assert.ok(unescapeHtml(r.text).includes(`<h1>${title}</h1>`), `${language} page ${page}: ${title}`);
      assert.doesNotMatch(r.text, /<form method="post"/, 'a preview has no form to send');
      if (page + 1 < questionnaire.sections.length) {
        assert.match(r.text, new RegExp(`href="/admin/m/demo/c/citizens/preview\\?page=${page + 1}&amp;lang=${language}"`));
      }
    }
  }
  // Questions shown only under a condition are there, with the condition.
  const page = questionnaire.sections.findIndex((s) => s.questions.some((q) => q.relevant));
  assert.ok(page >= 0, 'the citizens questionnaire has a conditional question');
  const conditional = questionnaire.sections[page].questions.find((q) => q.relevant);
  const shown = await sessions.coordinator.get(`/admin/m/demo/c/citizens/preview?page=${page}&lang=sr-Cyrl`);
  assert.ok(unescapeHtml(shown.text).includes(conditional.label['sr-Cyrl']), conditional.name);
  const text = unescapeHtml(shown.text.replace(/&apos;/g, "'"));
  assert.ok(text.includes(`Приказује се само кад важи: <code>${conditional.relevant}</code>`));
  assert.equal(query(server.database, 'SELECT count(*) FROM drafts').trim(), before, 'a preview stores nothing');
  assert.equal((await sessions.coordinator.get('/admin/m/demo/c/citizens/preview?page=999')).status, 404);
  assert.equal((await sessions.coordinator.get('/admin/m/demo/c/citizens/preview?page=x')).status, 400);
});

test('the campaign page links the results, the preview and a poster per language; the poster is a PDF', async () => {
  const page = (await sessions.coordinator.get('/admin/m/demo/c/citizens?lang=sr-Cyrl')).text;
  assert.match(page, /href="\/admin\/m\/demo\/c\/citizens\/results\?lang=sr-Cyrl"/);
  assert.match(page, /href="\/admin\/m\/demo\/c\/citizens\/preview\?lang=sr-Cyrl"/);
  for (const language of ['sr-Cyrl', 'sr-Latn', 'en', 'mk']) {
    assert.match(page, new RegExp(`href="/admin/m/demo/c/citizens/poster\\?lang=${language}"`));
  }
  const r = await fetch(`${server.url}/admin/m/demo/c/citizens/poster?lang=sr-Latn`,
                        { headers: { cookie: sessions.coordinator.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const dir = temporaryDirectory();
  try {
    const file = join(dir, 'poster.pdf');
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout.replace(/\s+/g, ' '), /anonim/i);
    assert.ok(text.stdout.replace(/\s+/g, '').includes(`${new URL(server.url).host}/s/demo/citizens`), text.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
