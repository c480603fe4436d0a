// The respondent's pages used as a browser without JavaScript uses them: plain form posts, the
// draft cookie kept by hand, every page checked for size, security headers and the language switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  request, postForm, hiddenField, elementIds, fieldNames, heading, languageLinks, cspDirectives, cookiesFrom,
} from '../lib/http.mjs';
import { query, countRows, responseIds, responsesSince } from '../lib/database.mjs';
import { validAnswers, apiPaths, Respondent, serviceRows, startDemo } from '../lib/citizens.mjs';

const cyrillic = /[\u0400-\u04FF]/;
const switchNames = { 'sr-Cyrl': 'Ћирилица', 'sr-Latn': 'Latinica', en: 'English', mk: 'Македонски' };

// Answers that open every follow-up question the citizens questionnaire has, for the largest pages.
const everyFollowUp = {
  age_band: '65_79', sex: 'male', settlement: 'rural', employment: 'unemployed', unemployed_since: 2019,
  income_adequacy: 'great_difficulty', minority: ['roma'],
  household: 'alone', household_size: 1, hh_disability: 'yes', hh_disability_who: ['me'],
  hh_disability_kind: ['mobility', 'other'], hh_disability_kind_other: 'Тешкоће са памћењем',
  caring_duties: 'yes_outside', caring_hours: 10,
  risk_factors: ['poverty', 'old_age_alone', 'isolation'], housing_condition: 'poor', lonely: 'often',
  help_source: ['csr', 'red_cross'], violence_experience: 'yes', violence_help: 'sought_no_help',
  current_user: 'yes',
  services_known: Object.fromEntries(serviceRows.map((r) => [r, r === 'home_care' ? 'used' : 'dont_know'])),
  services_satisfaction: 'dissatisfied', satisfaction_problems: ['waited_long', 'far'],
  info_source: ['csr', 'local_community'], csr_contact: 'yes',
  barriers: ['distance_transport', 'cost', 'digital'], gave_up: 'yes', travel_time: 'over_60',
  public_transport: 'rarely', internet_use: 'no',
  unmet_need: 'yes', unmet_need_what: ['home_care', 'firewood_utilities'],
  unmet_need_describe: 'Потребна ми је помоћ у кући.', needed_groups: ['older_alone', 'rural_households'],
  top_services: ['home_care', 'firewood_utilities', 'soup_kitchen'], home_care_interest: 'yes',
  co_payment: 'cannot_afford', volunteering: 'no',
  municipality_care: 'little', suggestions: 'Више сати помоћи у кући.', fill_mode: 'family_help',
};

const page0Valid = [['age_band', '45_64'], ['sex', 'female'], ['settlement', 'urban'], ['employment', 'employed'],
                    ['income_adequacy', 'difficulty']];

// One demo server for the whole file.
let server, paths, questionnaire;
before(async () => ({ server, paths, questionnaire } = await startDemo()));
after(async () => server?.stop());

function assertSecurityHeaders(r, what) {
  const csp = cspDirectives(r.headers);
  const scripts = csp.get('script-src') ?? csp.get('default-src');
  assert.ok(scripts, `${what}: the Content-Security-Policy restricts scripts`);
  assert.ok(!scripts.includes("'unsafe-inline'"), `${what}: no 'unsafe-inline' for scripts`);
  assert.ok(!scripts.includes("'unsafe-eval'"), `${what}: no 'unsafe-eval' for scripts`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none'`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer', what);
}

function assertSmallAndScriptFree(r, what) {
  assert.ok(r.bytes < 30 * 1024, `${what} is ${r.bytes} bytes, over 30 KB`);
  assert.doesNotMatch(r.text, /<script(?![^>]*\ssrc=)[^>]*>/i, `${what}: no inline script`);
  assert.doesNotMatch(r.text, /\son[a-z]+="/i, `${what}: no inline event handler`);
}

function assertLanguageSwitch(r, what, current) {
  const links = languageLinks(r.text);
  assert.deepEqual(links.map((l) => l.name).sort(), Object.values(switchNames).sort(), `${what}: the language switch`);
  for (const link of links) {
    assert.equal(link.name, switchNames[link.tag], `${what}: ${link.tag}`);
    if (link.tag === current) continue;
    assert.ok(link.href, `${what}: ${link.name} is a link`);
    assert.equal(new URL(link.href, server.url).searchParams.get('lang'), link.tag, `${what}: ${link.href}`);
  }
}

function errorSummary(html) {
  return html.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
}

test('the introduction says the survey is anonymous, takes about 10 minutes, publishes results and names a contact, and offers Start', async () => {
  const r = await request(paths.page);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(r.text, /<html lang="sr-Cyrl">/);
  assert.match(r.text, /потпуно анониман/);
  assert.match(r.text, /око 10 минута/);
  assert.match(r.text, /биће објављени на сајту општине/);
  assert.match(r.text, /Истраживање спроводи Демо општина/);
  assert.match(r.text, /socijalna\.zastita@demo\.example/);
  assert.match(r.text, /<form method="post" action="\/s\/demo\/citizens[^"]*">/);
  assert.match(r.text, /<button type="submit" name="_action" value="start"[^>]*>Почни<\/button>/);
  assertSecurityHeaders(r, 'introduction');
  assertSmallAndScriptFree(r, 'introduction');
  assertLanguageSwitch(r, 'introduction', 'sr-Cyrl');
});

test('Start answers the first page with a hidden draft token, a matching HttpOnly cookie and a stored draft that does not hold the token', async () => {
  const drafts = countRows(server.database, 'drafts');
  const respondent = new Respondent(paths.page, questionnaire);
  const r = await respondent.start();
  assert.equal(r.status, 200);
  // The draft's random token, and the minute it was started: kept by the browser, so that the
  // server can count the time to complete without storing when anyone answered.
  const ticket = hiddenField(r.text, '_draft');
  assert.match(ticket, /^[A-Za-z0-9_-]{43}\.\d+$/);
  const [token, minute] = ticket.split('.');
  assert.ok(Math.abs(Number(minute) - Date.now() / 60000) < 2, 'the start minute is now');
  assert.equal(hiddenField(r.text, '_page'), '0');
  assert.equal(heading(r.text), 'О вама');
  const setCookie = r.headers.getSetCookie().find((c) => c.startsWith('nm_draft='));
  assert.ok(setCookie, 'a draft cookie is set');
  assert.equal(cookiesFrom(r.headers).nm_draft, ticket);
  assert.match(setCookie, /;\s*HttpOnly/i);
  assert.match(setCookie, /;\s*SameSite=(Lax|Strict)/i);
  assert.match(setCookie, /;\s*Path=\/s\/demo\/citizens/);
  assert.equal(countRows(server.database, 'drafts'), drafts + 1);
  assert.equal(query(server.database, `SELECT count(*) FROM drafts WHERE token_hash LIKE '%${token}%'`), '0');
  assert.equal(query(server.database, `SELECT count(*) FROM drafts WHERE answers LIKE '%${minute}%' OR expires_at % 3600 <> 0`), '0',
               'the draft keeps no start time and expires on the hour');
});

test('a page posted with a missing required answer comes back 422 with an error summary linking to the questions and a message beside each', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const r = await respondent.post([['sex', 'female'], ['settlement', 'urban'], ['employment', 'employed']]);
  assert.equal(r.status, 422);
  assert.equal(hiddenField(r.text, '_page'), '0');
  assert.match(r.text, /<title>Грешка: /, 'the title says there is an error');
  const summary = errorSummary(r.text);
  assert.ok(summary, 'an error summary is shown');
  const ids = elementIds(r.text);
  const targets = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(targets.map((t) => t.split('-')[1]), ['age_band', 'income_adequacy']);
  for (const target of targets) {
    assert.match(target, /^q-/);
    assert.ok(ids.has(target), `#${target} exists on the page`);
  }
  for (const q of ['age_band', 'income_adequacy']) {
    assert.match(r.text, new RegExp(`<p class="error-message" id="q-${q}-error">`), `message beside ${q}`);
    assert.match(r.text, new RegExp(`aria-describedby="[^"]*q-${q}-error`), `${q} is described by its error`);
  }
  assert.doesNotMatch(r.text, /id="q-sex-error"/);
  assert.match(r.text, /id="q-sex-female" name="sex" value="female" checked/, 'what was answered is kept');
  assertSecurityHeaders(r, 'error page');
  assertSmallAndScriptFree(r, 'error page');
});

test('choosing unemployed makes "unemployed since" appear on the same page, and the respondent can answer it and go on', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  const start = await respondent.start();
  assert.ok(!fieldNames(start.text).has('unemployed_since'), 'not asked before employment is known');
  const fields = page0Valid.map(([n, v]) => [n, n === 'employment' ? 'unemployed' : v]);
  const shown = await respondent.post(fields);
  assert.ok(shown.status === 200 || shown.status === 422, `${shown.status}`);
  assert.equal(hiddenField(shown.text, '_page'), '0', 'the same page is shown again');
  assert.ok(fieldNames(shown.text).has('unemployed_since'), 'the follow-up question is on the page');
  assert.match(shown.text, /<label class="label" for="q-unemployed_since">/);
  assert.match(shown.text, /id="q-employment-unemployed" name="employment" value="unemployed" checked/);
  const next = await respondent.post([...fields, ['unemployed_since', '2019']]);
  assert.equal(next.status, 200, errorSummary(next.text));
  assert.equal(hiddenField(next.text, '_page'), '1');
});

test('a follow-up question that a page post opens is shown with a notice, not reported as an error', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const r = await respondent.post(page0Valid.map(([n, v]) => [n, n === 'employment' ? 'unemployed' : v]));
  assert.equal(r.status, 200, errorSummary(r.text));
  assert.match(r.text, /<p class="notice" role="status">/);
  assert.equal(errorSummary(r.text), undefined);
  assert.doesNotMatch(r.text, /id="q-unemployed_since-error"/);
});

test('Back shows the previous page with its answers checked, and keeps what was typed on the page left', async () => {
  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const page1 = await respondent.post(page0Valid);
  assert.equal(hiddenField(page1.text, '_page'), '1');
  assert.match(page1.text, /name="_action" value="back"/, 'page 2 has a Back button');
  const back = await respondent.post([['household', 'couple'], ['household_size', '2']], 'back');
  assert.equal(back.status, 200);
  assert.equal(hiddenField(back.text, '_page'), '0');
  for (const [name, value] of page0Valid) {
    assert.match(back.text, new RegExp(`id="q-${name}-${value}" name="${name}" value="${value}" checked`), name);
  }
  assert.doesNotMatch(back.text, /name="_action" value="back"/, 'the first page has no Back button');
  const forward = await respondent.post(page0Valid);
  assert.equal(hiddenField(forward.text, '_page'), '1');
  assert.match(forward.text, /id="q-household-couple" name="household" value="couple" checked/);
  assert.match(forward.text, /id="q-household_size" name="household_size" type="text" value="2"/);
});

test('?lang=sr-Latn renders the pages in Latin script, and the language switch of a page keeps the respondent on it', async () => {
  const intro = await request(`${paths.page}?lang=sr-Latn`);
  assert.equal(intro.status, 200);
  assert.match(intro.text, /<html lang="sr-Latn">/);
  assert.match(intro.text, /<p class="motto">Da niko ne bude izostavljen<\/p>/);
  const main = intro.text.match(/<main[\s\S]*<\/main>/)[0];
  assert.doesNotMatch(main, cyrillic, 'no Cyrillic in the Latin introduction');
  assertLanguageSwitch(intro, 'Latin introduction', 'sr-Latn');

  const respondent = new Respondent(paths.page, questionnaire);
  await respondent.start();
  const page1 = await respondent.post(page0Valid);
  assert.equal(heading(page1.text), 'Ваше домаћинство');
  const latinLink = languageLinks(page1.text).find((l) => l.tag === 'sr-Latn');
  const latin = await respondent.get(new URL(latinLink.href, server.url).href);
  assert.equal(latin.status, 200);
  assert.equal(heading(latin.text), 'Vaše domaćinstvo');
  assert.equal(hiddenField(latin.text, '_page'), '1', 'the same page in the other script');
  assert.equal(hiddenField(latin.text, '_lang'), 'sr-Latn');
  assert.doesNotMatch(latin.text.match(/<main[\s\S]*<\/main>/)[0], cyrillic);
  const english = await respondent.get(new URL(languageLinks(page1.text).find((l) => l.tag === 'en').href, server.url).href);
  assert.equal(heading(english.text), 'Your household');
  const macedonian = await respondent.get(new URL(languageLinks(page1.text).find((l) => l.tag === 'mk').href, server.url).href);
  assert.equal(heading(macedonian.text), 'Вашето домаќинство');
  assert.match(macedonian.text, /<p class="motto">Никој да не биде изоставен<\/p>/);
});

test('walking the whole questionnaire ends in 303 to the thank-you page, stores the answers and deletes the draft', async () => {
  const drafts = countRows(server.database, 'drafts');
  const responses = countRows(server.database);
  const before = responseIds(server.database);
  const respondent = new Respondent(paths.page, questionnaire);
  const start = await respondent.start();
  const token = hiddenField(start.text, '_draft');
  assert.equal(countRows(server.database, 'drafts'), drafts + 1);

  // The text typed on page 2 identifies this respondent's draft row while the walk goes on.
  const thisDraft = () => countRows(server.database, 'drafts', "WHERE answers LIKE '%Тешкоће са памћењем%'");
  let draftSeen = false;
  const done = await respondent.finish(everyFollowUp, {
    afterEachPost: (r) => { if (r.status !== 303) draftSeen ||= thisDraft() === 1; },
  });
  assert.equal(done.status, 303);
  assert.ok(draftSeen, 'the draft row held the answers while the questionnaire was in progress');
  assert.equal(thisDraft(), 0, 'the draft row is gone after submit');
  const location = new URL(done.headers.get('location'), server.url);
  assert.equal(location.pathname, '/s/demo/citizens/thanks');
  assert.match(done.headers.getSetCookie().find((c) => c.startsWith('nm_draft=')) ?? '', /Max-Age=0/,
               'the draft cookie is cleared');
  const thanks = await respondent.get(location.href);
  assert.equal(thanks.status, 200);
  assert.equal(heading(thanks.text), 'Хвала вам!');

  assert.equal(countRows(server.database, 'drafts'), drafts, 'the draft is deleted on submit');
  assert.equal(countRows(server.database), responses + 1);
  const [row] = responsesSince(server.database, before);
  assert.equal(row.mode, 'web');
  assert.equal(row.language, 'sr-Cyrl');
  const stored = JSON.parse(row.answers);
  for (const [name, value] of Object.entries(everyFollowUp)) {
    assert.deepEqual(stored[name], value, name);
  }
  assert.equal(String(stored.is_elderly_alone), '1', 'calculations are stored');
  assert.equal(String(stored.used_any_service), '1');

  // Sending the finished draft again (a double click, a reload) stores nothing new and leads
  // to the thank-you page again.
  const again = await respondent.post([['municipality_care', 'little'], ['fill_mode', 'alone']]);
  assert.equal(again.status, 303);
  assert.match(again.headers.get('location'), /\/s\/demo\/citizens\/thanks/);
  assert.equal(countRows(server.database), responses + 1);
  assert.equal(query(server.database, `SELECT count(*) FROM responses WHERE submission_id LIKE '%${token}%'`), '0');
});

test('every page of a walk is under 30 KB, has the security headers, no inline script and the language switch', async () => {
  const oversized = [];
  for (const [language, answers] of [['sr-Cyrl', everyFollowUp], ['sr-Latn', validAnswers()], ['mk', everyFollowUp]]) {
    const respondent = new Respondent(paths.page, questionnaire, { language });
    await respondent.start();
    await respondent.finish(answers);
    const thanks = await respondent.get(new URL(respondent.responses.at(-1).headers.get('location'), server.url).href);
    assert.equal(thanks.status, 200);
    const pages = respondent.responses.filter((r) => r.status !== 303);
    assert.ok(pages.length >= 9, `${language}: ${pages.length} pages`);
    const seen = new Set();
    for (const r of pages) {
      const page = hiddenField(r.text, '_page');
      const what = `${language} ${r.status} ${page === undefined ? r.url : `page ${page} "${heading(r.text)}"`}`;
      assert.match(r.headers.get('content-type'), /^text\/html/, what);
      assert.match(r.text, new RegExp(`<html lang="${language}">`), what);
      assertSecurityHeaders(r, what);
      assertSmallAndScriptFree({ ...r, bytes: 0 }, what);
      assertLanguageSwitch(r, what, language);
      if (r.bytes >= 30 * 1024) oversized.push(`${what}: ${r.bytes} bytes`);
      seen.add(page);
    }
    assert.ok(seen.size >= 8, `${language}: every section was shown (${[...seen]})`);
  }
  for (const url of [`${server.url}/`, `${server.url}/s/demo/nothing`, `${server.url}/s/demo/citizens/thanks?lang=en`]) {
    const r = await request(url);
    assert.ok(r.status === 200 || r.status === 404, url);
    assertSecurityHeaders(r, url);
    assertSmallAndScriptFree(r, url);
    assertLanguageSwitch(r, url, r.text.match(/<html lang="([^"]+)"/)[1]);
  }
  const refusals = [
    await postForm(paths.page, '_action=next&_page=0'),
    await postForm(paths.page, `_action=next&_page=0&_draft=${'A'.repeat(43)}`),
    await postForm(paths.page, '_action=start&x=%FF'),
  ];
  assert.deepEqual(refusals.map((r) => r.status), [400, 410, 400]);
  for (const r of refusals) {
    assertSecurityHeaders(r, `${r.status} page`);
    assertSmallAndScriptFree(r, `${r.status} page`);
  }
  assert.deepEqual(oversized, [], 'pages of 30 KB (30720 bytes) or more');
});
