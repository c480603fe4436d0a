// Open answers in the administration: the campaign's free-text questions with how many answered;
// for one question its most frequent words, Cyrillic and Latin counted as one word and forms of a
// word as one; its answers filtered by a word, a theme or a review; themes defined, renamed and
// deleted; answers tagged and reviewed, each change with its audit entry. Answers are shown as
// text, whatever they hold. Interviewers and the neighbouring municipality get 403; bad input
// gets a 4xx answer in Serbian.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uuid } from '../lib/server.mjs';
import { postJson, unescapeHtml } from '../lib/http.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';
import { query } from '../lib/database.mjs';

const list = '/admin/m/demo/c/citizens/answers';
const suggestions = `${list}/suggestions`;
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

// Suggestions in both scripts: "превоз"/"prevoza" and "помоћ"/"Pomoć" are one word each.
const written = [
  'Потребан је превоз до Дома здравља',
  'Nema prevoza do sela, autobus ide jednom nedeljno',
  'Превоз за старије и помоћ у кући',
  'Pomoć u kući za stare koji žive sami',
  '<script>alert("x")</script> & <b>подебљано</b>',
];

let server;
let accounts;
const sessions = {};
const ids = [];  // response ids, in the order of `written`

before(async () => {
  server = await startServer();
  accounts = await demoAccounts(server);
  for (const key of ['analyst', 'coordinator', 'interviewer', 'coordinator@susedna']) {
    sessions[key] = new AdminSession(server.url);
    assert.equal((await sessions[key].signIn(accounts[key].email, accounts[key].password)).status, 303, key);
  }
  const responses = apiPaths(server.url).responses;
  for (const suggestion of written) {
    const r = await postJson(responses, { submission_id: uuid(), answers: validAnswers({ suggestions: suggestion }) });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const described = validAnswers({ unmet_need: 'yes', unmet_need_what: ['home_care'], unmet_need_describe: 'Треба ми помоћ у кући' });
  assert.equal((await postJson(responses, { submission_id: uuid(), answers: described })).status, 201);
  assert.equal((await postJson(responses, { submission_id: uuid(), answers: validAnswers() })).status, 201);
});

after(async () => {
  await server?.stop();
});

// The words table: shown form → { stem, answers }.
function words(html) {
  const section = html.slice(html.indexOf('id="words"'), html.indexOf('id="themes"'));
  const rows = {};
  for (const m of section.matchAll(/<a href="[^"]*(?:\?|&amp;)word=([^&"#]+)[^"]*"[^>]*>([^<]+)<\/a><\/th><td class="numeric">(\d+)</g)) {
    rows[unescapeHtml(m[2])] = { stem: decodeURIComponent(m[1]), answers: Number(m[3]) };
  }
  return rows;
}

// The answers listed on a page, as their texts.
const shownAnswers = (html) =>
  [...html.matchAll(/<blockquote class="answer-text">([^<]*)<\/blockquote>/g)].map((m) => unescapeHtml(m[1]));

const answerForm = (id, fields) => [['op', 'answer'], ['response', id], ...fields];

test('the campaign page links the open answers, which list each text question with its answers', async () => {
  const campaign = await sessions.analyst.get('/admin/m/demo/c/citizens');
  assert.match(campaign.text, /href="\/admin\/m\/demo\/c\/citizens\/answers\?lang=sr-Cyrl"/);
  const r = await sessions.analyst.get(`${list}?lang=sr-Cyrl`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /Отворени одговори/);
  assert.match(page, /\(suggestions\) 5 0 0/);
  assert.match(page, /\(unmet_need_describe\) 1 0 0/);
  assert.match(r.text, /href="\/admin\/m\/demo\/c\/citizens\/answers\/suggestions\?lang=sr-Cyrl"/);
  assert.match(page, /само овде, у администрацији/, 'the page says free text is not published unreviewed');
});

test('words in Cyrillic and Latin and their forms are counted as one, and filter the answers', async () => {
  const r = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl`);
  assert.equal(r.status, 200);
  const table = words(r.text);
  assert.equal(table['превоз']?.answers, 3, JSON.stringify(table));
  assert.equal(table['помоћ']?.answers ?? table['pomoć']?.answers, 2, JSON.stringify(table));
  assert.equal(table.prevoza, undefined, 'the Latin form is not a word of its own');
  assert.match(r.text, /<svg class="chart"/, 'a chart beside the table');
  assert.equal(shownAnswers(r.text).length, 5);

  const stem = table['превоз'].stem;
  const filtered = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl&word=${encodeURIComponent(stem)}`);
  assert.equal(filtered.status, 200);
  assert.deepEqual(shownAnswers(filtered.text).sort(), [written[0], written[1], written[2]].sort());
  // A word typed in another script and form finds the same answers.
  const typed = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl&word=PREVOZ`);
  assert.deepEqual(shownAnswers(typed.text).sort(), [written[0], written[1], written[2]].sort());
  const none = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl&word=${encodeURIComponent('бицикл')}`);
  assert.equal(none.status, 200);
  assert.deepEqual(shownAnswers(none.text), []);
  assert.match(text(none.text), /Ниједан одговор не одговара избору/);
});

test('answers are shown as text, whatever they hold', async () => {
  const r = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl`);
  assert.doesNotMatch(r.text, /<script>alert/);
  assert.doesNotMatch(r.text, /<b>подебљано/);
  assert.match(r.text, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &lt;b&gt;подебљано/);
});

test('themes are defined, answers tagged and reviewed, and every change is in the audit log', async () => {
  const analyst = sessions.analyst;
  let r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, [['op', 'theme_add'], ['label', 'Превоз']]);
  assert.equal(r.status, 303, r.text);
  assert.match(r.headers.get('location'), /^\/admin\/m\/demo\/c\/citizens\/answers\/suggestions\?lang=sr-Cyrl.*saved=1/);
  r = await sessions.coordinator.post(`${suggestions}?lang=sr-Cyrl`, [['op', 'theme_add'], ['label', 'Помоћ у кући'], ['theme', 'care']]);
  assert.equal(r.status, 303, r.text);
  assert.deepEqual(query(server.database, 'SELECT name, label FROM answer_themes ORDER BY name', { json: true }),
                   [{ name: 'care', label: 'Помоћ у кући' }, { name: 'prevoz', label: 'Превоз' }]);

  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, answerForm(ids[0], [['tags', '1'], ['theme', 'prevoz'], ['review', 'yes']]));
  assert.equal(r.status, 303, r.text);
  assert.match(r.headers.get('location'), new RegExp(`#r-${ids[0]}$`));
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, answerForm(ids[2], [['tags', '1'], ['theme', 'prevoz'], ['theme', 'care']]));
  assert.equal(r.status, 303, r.text);
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, answerForm(ids[4], [['review', 'no']]));
  assert.equal(r.status, 303, r.text);

  const tags = query(server.database, "SELECT response_id, theme FROM answer_tags WHERE question = 'suggestions' ORDER BY response_id, theme", { json: true });
  assert.deepEqual(tags.map((t) => `${t.response_id}:${t.theme}`).sort(),
                   [`${ids[0]}:prevoz`, `${ids[2]}:care`, `${ids[2]}:prevoz`].sort());
  const reviews = query(server.database, "SELECT response_id, publishable, reviewed_by FROM answer_reviews WHERE question = 'suggestions'", { json: true });
  assert.equal(reviews.length, 2);
  const byId = Object.fromEntries(reviews.map((v) => [v.response_id, v]));
  assert.equal(Number(byId[ids[0]].publishable), 1);
  assert.equal(Number(byId[ids[4]].publishable), 0);
  assert.equal(byId[ids[0]].reviewed_by, accounts.analyst.email);

  // Filters by theme and by review.
  const prevoz = await analyst.get(`${suggestions}?lang=sr-Cyrl&theme=prevoz`);
  assert.deepEqual(shownAnswers(prevoz.text).sort(), [written[0], written[2]].sort());
  const untagged = await analyst.get(`${suggestions}?lang=sr-Cyrl&theme=-`);
  assert.equal(shownAnswers(untagged.text).length, 3);
  const publishable = await analyst.get(`${suggestions}?lang=sr-Cyrl&review=yes`);
  assert.deepEqual(shownAnswers(publishable.text), [written[0]]);
  assert.match(text(publishable.text), new RegExp(`Сме се објавити \\(${accounts.analyst.email.replace(/\./g, '\\.')}, \\d{4}-\\d\\d-\\d\\d\\)`));
  const pending = await analyst.get(`${suggestions}?lang=sr-Cyrl&review=pending`);
  assert.equal(shownAnswers(pending.text).length, 3);
  const overview = text((await analyst.get(`${list}?lang=sr-Cyrl`)).text);
  assert.match(overview, /\(suggestions\) 5 2 1/, 'reviewed and publishable counted per question');

  // A review taken back; a theme renamed, then deleted with its tags.
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, answerForm(ids[4], [['review', 'pending']]));
  assert.equal(r.status, 303);
  assert.equal(query(server.database, `SELECT count(*) FROM answer_reviews WHERE response_id = '${ids[4]}'`), '0');
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, [['op', 'theme_rename'], ['theme', 'care'], ['label', 'Нега у кући']]);
  assert.equal(r.status, 303);
  assert.match(text((await analyst.get(`${suggestions}?lang=sr-Cyrl`)).text), /Нега у кући \(care\) 1/);
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, [['op', 'theme_delete'], ['theme', 'prevoz']]);
  assert.equal(r.status, 303);
  assert.equal(query(server.database, "SELECT count(*) FROM answer_tags WHERE theme = 'prevoz'"), '0');
  assert.equal(query(server.database, "SELECT count(*) FROM answer_themes"), '1');
  // Saving an answer unchanged writes nothing.
  const before = Number(query(server.database, 'SELECT count(*) FROM audit_log'));
  r = await analyst.post(`${suggestions}?lang=sr-Cyrl`, answerForm(ids[2], [['tags', '1'], ['theme', 'care'], ['review', 'pending']]));
  assert.equal(r.status, 303);
  assert.equal(Number(query(server.database, 'SELECT count(*) FROM audit_log')), before);

  const audit = query(server.database, "SELECT actor, action, object, details FROM audit_log WHERE action LIKE 'answer_%' ORDER BY id", { json: true });
  assert.deepEqual(audit.map((a) => a.action), [
    'answer_theme_add', 'answer_theme_add', 'answer_tags', 'answer_review', 'answer_tags', 'answer_review',
    'answer_review', 'answer_theme_rename', 'answer_theme_delete']);
  assert.ok(audit.every((a) => a.object === 'demo/citizens'));
  assert.equal(audit[1].actor, accounts.coordinator.email);
  assert.equal(audit[2].details, `question=suggestions response=${ids[0]} themes=prevoz`);
  assert.equal(audit[3].details, `question=suggestions response=${ids[0]} publishable=yes`);
  assert.equal(audit[6].details, `question=suggestions response=${ids[4]} publishable=pending`);
});

test('interviewers and the neighbouring municipality get 403, and change nothing', async () => {
  const themes = () => query(server.database, 'SELECT count(*) FROM answer_themes');
  const before = themes();
  for (const key of ['interviewer', 'coordinator@susedna']) {
    const s = sessions[key];
    for (const path of [list, suggestions, `${suggestions}?word=prevoz`]) {
      const r = await s.get(path);
      assert.equal(r.status, 403, `${key} GET ${path}`);
      assert.doesNotMatch(r.text, /prevoza|Превоз/, `${key} sees no answer`);
    }
    const r = await s.post(suggestions, [['op', 'theme_add'], ['label', 'Уљез']]);
    assert.equal(r.status, 403, `${key} POST`);
  }
  assert.equal(themes(), before);
  // The neighbour's own campaign has no such answers.
  const own = await sessions['coordinator@susedna'].get('/admin/m/susedna/c/citizens/answers/suggestions');
  assert.equal(own.status, 200);
  assert.deepEqual(shownAnswers(own.text), []);
});

test('bad input is answered 4xx in Serbian, and changes nothing', async () => {
  const analyst = sessions.analyst;
  const audit = () => query(server.database, 'SELECT count(*) FROM audit_log');
  const before = audit();
  const cases = [
    { fields: answerForm(ids[1], [['tags', '1'], ['theme', 'nepostojeca']]), status: 422, message: /Тема „nepostojeca“ не постоји у овој анкети/ },
    { fields: answerForm('no-such-response', [['review', 'yes']]), status: 422, message: /Тај одговор не постоји међу одговорима на ово питање/ },
    { fields: answerForm(ids[1], [['review', 'maybe']]), status: 422, message: /Изаберите: није прегледан/ },
    { fields: [['op', 'theme_add'], ['label', '  ']], status: 422, message: /Унесите назив теме/ },
    { fields: [['op', 'theme_add'], ['label', 'Ново'], ['theme', 'Velika Slova']], status: 422, message: /Ознака теме може садржати само/ },
    { fields: [['op', 'theme_add'], ['label', 'Опет'], ['theme', 'care']], status: 422, message: /Тема с ознаком „care“ већ постоји/ },
    { fields: [['op', 'theme_rename'], ['theme', 'nema'], ['label', 'Нешто']], status: 422, message: /Тема „nema“ не постоји/ },
    { fields: [['op', 'theme_delete'], ['theme', 'nema']], status: 422, message: /Тема „nema“ не постоји/ },
    { fields: [['op', 'explode']], status: 400, message: /./ },
  ];
  for (const { fields, status, message } of cases) {
    const r = await analyst.post(suggestions, fields);
    assert.equal(r.status, status, `${JSON.stringify(fields)}: ${r.status}`);
    assert.match(text(r.text), message, JSON.stringify(fields));
    if (status === 422) assert.match(r.text, /class="error-summary"/);
  }
  let r = await analyst.get(`${list}/nepostojece`);
  assert.equal(r.status, 404);
  assert.match(text(r.text), /Упитник ове анкете нема питање отвореног типа с тим називом/);
  r = await analyst.get(`${list}/sex`);
  assert.equal(r.status, 404, 'a choice question is no open question');
  r = await analyst.get(`${suggestions}?theme=nema`);
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Тема „nema“ не постоји у овој анкети/);
  assert.equal(shownAnswers(r.text).length, 5, 'the answers are still listed');
  r = await analyst.post(list, [['op', 'theme_add'], ['label', 'Ново']]);
  assert.equal(r.status, 405);
  r = await analyst.post(suggestions, [['op', 'theme_add'], ['label', 'Ново']], { csrf: 'wrong' });
  assert.equal(r.status, 403);
  assert.equal(audit(), before);
});

test('answers are paginated, 50 to a page', async () => {
  const responses = apiPaths(server.url).responses;
  const posted = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    postJson(responses, { submission_id: uuid(), answers: validAnswers({ suggestions: `Предлог број ${i + 1}` }) })));
  assert.ok(posted.every((p) => p.status === 201));
  const first = await sessions.analyst.get(`${suggestions}?lang=sr-Cyrl`);
  assert.equal(shownAnswers(first.text).length, 50);
  assert.match(text(first.text), /Страна 1 од 2/);
  const next = first.text.match(/<a href="([^"]*)" rel="next">/);
  assert.ok(next, 'a link to the next page');
  const second = await sessions.analyst.get(unescapeHtml(next[1]));
  assert.equal(second.status, 200);
  assert.equal(shownAnswers(second.text).length, 5);
  assert.match(text(second.text), /Одговори од 51 до 55, од укупно 55/);
});
