// A respondent answers the citizens' questionnaire in a real browser (Debian's Chromium driven by
// playwright-core) against the real needsmap binary: Cyrillic, Latin, without JavaScript, and
// with the keyboard only. Questions are found by their labels from the questionnaire itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory } from '../lib/server.mjs';
import {
  launchBrowser, newContext, watchProblems, uiTexts, fetchQuestionnaire, Survey, shownQuestions,
  currentPageIndex, completePage, pressButton, readCsv, focusSettlesInside,
  slowdown,
} from './support.mjs';

const sr = uiTexts('sr-Cyrl');

let server;
let browser;
let document;
let survey;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  document = await fetchQuestionnaire(server.url, 'demo', 'citizens');
  survey = new Survey(document, 'sr-Cyrl');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const campaignPath = '/s/demo/citizens';

function isFocused(locator) {
  return locator.evaluate((element) => element === document.activeElement);
}

async function heading(page) {
  return (await page.locator('h1').innerText()).trim();
}

// What this respondent answers: an older woman living alone in a village, out of work. Her answers
// take the branches unemployed -> unemployed_since, rural -> travel questions, alone and 65-79 ->
// is_elderly_alone = 1 -> home_care_interest.
const suggestion = 'Превоз до села средом и петком, и помоћ у кући за старе — тест 7731.';
const laterPages = {
  current_user: 'no',
  services_known: {
    one_off_cash_assistance: 'dont_know', cash_social_assistance: 'know_not_used', home_care: 'dont_know',
    day_care_older: 'dont_know', day_care_disability: 'dont_know', personal_companion: 'dont_know',
    soup_kitchen: 'know_not_used', firewood_utilities: 'dont_know', counselling_family_support: 'dont_know',
  },
  info_source: ['local_community', 'family_friends'],
  csr_contact: 'no',
  barriers: ['distance_transport', 'lack_of_information'],
  gave_up: 'no',
  travel_time: 'over_60',
  public_transport: 'rarely',
  internet_use: 'no',
  unmet_need: 'no',
  needed_groups: ['older_alone', 'rural_households'],
  top_services: ['home_care', 'day_care_older'],
  home_care_interest: 'yes',
  co_payment: 'small_part',
  volunteering: 'maybe',
  municipality_care: 'little',
  suggestions: suggestion,
  fill_mode: 'alone',
};

test('a respondent answers the citizens questionnaire in Cyrillic, through skip logic, and the answers reach the CSV export', { timeout: 120000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  const seen = new Set();
  const record = async () => { for (const name of await shownQuestions(page)) seen.add(name); };
  try {
    // The introduction.
    await page.goto(server.url + campaignPath);
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Cyrl');
    assert.equal(await heading(page), document.title['sr-Cyrl']);
    assert.match(await page.locator('.motto').innerText(), /Да нико не буде изостављен/);
    await pressButton(page, sr.button_start);

    // Page one, sent empty: the error summary appears, takes the focus and lists what is missing.
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    assert.equal(await page.locator('.progress-text').innerText(), 'Страна 1 од 7');
    await record();
    assert.ok(!seen.has('unemployed_since'), 'the follow-up is not shown before employment is answered');
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: sr.button_next, exact: true }).click(),
    ]);
    assert.equal(response.status(), 422);
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.getByRole('heading', { level: 2 }).innerText(), sr.error_summary_title);
    assert.ok(await focusSettlesInside(page, '.error-summary'), 'focus is in the error summary');
    assert.ok((await page.title()).startsWith(sr['error.title_prefix']), 'the title says there is an error');
    const required = ['age_band', 'sex', 'settlement', 'employment', 'income_adequacy'];
    const links = summary.getByRole('link');
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      required.map((name) => `#q-${name}-${survey.question(name).choices[0].name}`));
    for (let i = 0; i < required.length; ++i) {
      const q = survey.question(required[i]);
      // The author's message after the question's label, so each link names its question.
      assert.equal((await links.nth(i).innerText()).trim(),
        `${q.label['sr-Cyrl']} — ${q.required_message['sr-Cyrl']}`);
      // The same message is next to the question, and read with it.
      const group = survey.group(page, required[i]);
      assert.match(await group.getAttribute('aria-describedby'), new RegExp(`q-${required[i]}-error`));
      assert.match(await group.locator('.error-message').innerText(), new RegExp(q.required_message['sr-Cyrl'].replace(/[.]/g, '\\.')));
    }
    assert.ok(!(await summary.innerText()).includes(survey.label('minority')), 'the optional question is not an error');
    // Following an error link puts the focus on that question's first answer.
    await links.nth(2).click();
    assert.ok(await isFocused(survey.choice(page, 'settlement', 'urban')), 'focus on the first answer of "Где живите?"');
    await links.nth(0).click();
    assert.ok(await isFocused(survey.choice(page, 'age_band', '18_29')), 'focus on the first answer of "Колико имате година?"');

    // Page one answered: choosing "unemployed" opens a follow-up on the same page, which the page
    // shows when it comes back. (Whether it comes back without an error is the next test's matter.)
    await survey.answer(page, 'age_band', '65_79');
    await survey.answer(page, 'sex', 'female');
    await survey.answer(page, 'settlement', 'rural');
    await survey.answer(page, 'employment', 'unemployed');
    await survey.answer(page, 'income_adequacy', 'difficulty');
    await survey.answer(page, 'minority', ['roma']);
    assert.equal(await survey.textbox(page, 'unemployed_since').count(), 0);
    await pressButton(page, sr.button_next);
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    await record();
    assert.ok(seen.has('unemployed_since'));
    assert.ok(await survey.textbox(page, 'unemployed_since').isVisible(), 'the year question is shown');
    assert.ok(await survey.choice(page, 'age_band', '65_79').isChecked(), 'the answers are kept');
    assert.ok(await survey.choice(page, 'settlement', 'rural').isChecked());
    assert.ok(await survey.choice(page, 'employment', 'unemployed').isChecked());
    assert.ok(await survey.choice(page, 'minority', 'roma').isChecked());
    assert.ok(!(await survey.choice(page, 'minority', 'no').isChecked()));
    await survey.answer(page, 'unemployed_since', '2019');
    await pressButton(page, sr.button_next);
    assert.equal(await page.locator('.error-summary').count(), 0);

    // Page two: living alone, one person. Children, disability details and caring hours do not apply.
    assert.equal(await heading(page), survey.sectionTitle('your_household'));
    await record();
    await survey.answer(page, 'household', 'alone');
    await survey.answer(page, 'household_size', '1');
    await survey.answer(page, 'hh_disability', 'no');
    await survey.answer(page, 'caring_duties', 'no');
    await pressButton(page, sr.button_next);

    // Page three: violence in the household opens an optional follow-up, and the page comes
    // back, without errors, to show it.
    assert.equal(await heading(page), survey.sectionTitle('risks'));
    await record();
    assert.ok(!seen.has('violence_help'));
    await survey.answer(page, 'risk_factors', ['old_age_alone', 'isolation']);
    await survey.answer(page, 'housing_condition', 'fair');
    await survey.answer(page, 'lonely', 'often');
    await survey.answer(page, 'help_source', ['family']);
    await survey.answer(page, 'violence_experience', 'yes');
    await pressButton(page, sr.button_next);
    assert.equal(await heading(page), survey.sectionTitle('risks'));
    assert.equal(await page.locator('.error-summary').count(), 0);
    assert.equal((await page.getByRole('status').innerText()).trim(), sr.shown_again);
    await record();
    assert.ok(seen.has('violence_help'), 'the follow-up is shown');
    assert.ok(await survey.group(page, 'violence_help').isVisible());

    // Back once: page two still has its answers.
    await pressButton(page, sr.button_back);
    assert.equal(await heading(page), survey.sectionTitle('your_household'));
    assert.ok(await survey.choice(page, 'household', 'alone').isChecked());
    assert.equal(await survey.textbox(page, 'household_size').inputValue(), '1');
    assert.ok(await survey.choice(page, 'hh_disability', 'no').isChecked());
    assert.ok(await survey.choice(page, 'caring_duties', 'no').isChecked());
    await record();
    await pressButton(page, sr.button_next);
    // …and page three kept what was chosen on it.
    assert.equal(await heading(page), survey.sectionTitle('risks'));
    assert.ok(await survey.choice(page, 'risk_factors', 'old_age_alone').isChecked());
    assert.ok(await survey.choice(page, 'risk_factors', 'isolation').isChecked());
    assert.ok(!(await survey.choice(page, 'risk_factors', 'poverty').isChecked()));
    assert.ok(await survey.choice(page, 'housing_condition', 'fair').isChecked());
    assert.ok(await survey.choice(page, 'lonely', 'often').isChecked());
    assert.ok(await survey.choice(page, 'help_source', 'family').isChecked());
    assert.ok(await survey.choice(page, 'violence_experience', 'yes').isChecked());
    await record();
    await survey.answer(page, 'violence_help', 'did_not_know');
    await pressButton(page, sr.button_next);

    // The remaining pages.
    for (const section of ['services_section', 'barriers_section', 'needs_section', 'final_section']) {
      assert.equal(await heading(page), survey.sectionTitle(section));
      assert.equal(await currentPageIndex(page), String(document.sections.findIndex((s) => s.name === section)));
      if (section === 'final_section') {
        assert.equal(await page.locator('form button[type=submit]').first().innerText(), sr.button_submit);
      }
      for (const name of await completePage(page, survey, laterPages)) seen.add(name);
    }

    // The thank-you page.
    assert.equal(await heading(page), sr.thanks_title);
    assert.equal(await heading(page), 'Хвала вам!');
    assert.match(new URL(page.url()).pathname, /\/s\/demo\/citizens\/thanks$/);

    // Which branches were taken.
    for (const name of ['unemployed_since', 'travel_time', 'public_transport', 'home_care_interest']) {
      assert.ok(seen.has(name), `${name} was asked`);
    }
    for (const name of ['children_under_18', 'hh_disability_who', 'hh_disability_kind', 'caring_hours',
      'services_satisfaction', 'satisfaction_problems', 'unmet_need_what',
      'unmet_need_describe', 'is_elderly_alone', 'used_any_service']) {
      assert.ok(!seen.has(name), `${name} was never shown`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // The response is in the export.
  const dir = temporaryDirectory('needsmap-browser-export-');
  try {
    const out = join(dir, 'citizens.csv');
    const result = needsmap(['export', '--db', server.database, '--campaign', 'demo/citizens',
      '--format', 'csv', '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const rows = readCsv(out).records;
    const mine = rows.filter((row) => row.suggestions === suggestion);
    assert.equal(mine.length, 1, 'exactly one response carries the suggestion');
    const row = mine[0];
    assert.equal(row.age_band, '65_79');
    assert.equal(row.sex, 'female');
    assert.equal(row.settlement, 'rural');
    assert.equal(row.employment, 'unemployed');
    assert.equal(row.unemployed_since, '2019');
    assert.equal(row.income_adequacy, 'difficulty');
    assert.equal(row['minority/roma'], '1');
    assert.equal(row['minority/no'], '0');
    assert.equal(row['minority/other_minority'], '0');
    assert.equal(row.household, 'alone');
    assert.equal(row.household_size, '1');
    assert.equal(row.children_under_18, '');
    assert.equal(row['risk_factors/old_age_alone'], '1');
    assert.equal(row['risk_factors/isolation'], '1');
    assert.equal(row['risk_factors/poverty'], '0');
    assert.equal(row['help_source/family'], '1');
    assert.equal(row['services_known/soup_kitchen'], 'know_not_used');
    assert.equal(row.travel_time, 'over_60');
    assert.equal(row.public_transport, 'rarely');
    assert.equal(row['top_services/1'], 'home_care');
    assert.equal(row['top_services/2'], 'day_care_older');
    assert.equal(row.home_care_interest, 'yes');
    assert.equal(row.violence_experience, 'yes');
    assert.equal(row.violence_help, 'did_not_know');
    assert.equal(row.fill_mode, 'alone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a required follow-up opened on the same page is shown again, not reported as an error', { timeout: 60000 * slowdown }, async () => {
  // Without JavaScript a follow-up question on the same page can only appear after the page is
  // sent; the respondent has not seen it yet, so it must not be "missing": the page comes back
  // with the notice and the new question, and no error summary.
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(server.url + campaignPath);
    await pressButton(page, sr.button_start);
    await survey.answer(page, 'age_band', '45_64');
    await survey.answer(page, 'sex', 'male');
    await survey.answer(page, 'settlement', 'urban');
    await survey.answer(page, 'employment', 'unemployed');
    await survey.answer(page, 'income_adequacy', 'great_difficulty');
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: sr.button_next, exact: true }).click(),
    ]);
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    assert.ok(await survey.textbox(page, 'unemployed_since').isVisible(), 'the year question is shown');
    const summary = page.locator('.error-summary');
    assert.equal(await summary.count(), 0,
      `no error for a question the respondent has not seen yet; the page says: ${await summary.innerText().catch(() => '')}`);
    assert.equal(response.status(), 200);
    assert.equal((await page.getByRole('status').innerText()).trim(), sr.shown_again);
  } finally {
    await context.close();
  }
});

test('"something else (specify)" gets its own text box, which keeps its answer', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const other = survey.choiceLabel('employment', 'other');
  const specify = () => page.getByRole('textbox', { name: other, exact: true });
  try {
    await page.goto(server.url + campaignPath);
    await pressButton(page, sr.button_start);
    await survey.answer(page, 'age_band', '18_29');
    await survey.answer(page, 'sex', 'female');
    await survey.answer(page, 'settlement', 'urban');
    await survey.answer(page, 'employment', 'other');
    await survey.answer(page, 'income_adequacy', 'easily');
    assert.equal(await specify().count(), 0, 'no text box before "other" is chosen');
    await pressButton(page, sr.button_next);
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    await specify().fill('Волонтирам у Црвеном крсту');
    await pressButton(page, sr.button_next);
    assert.equal(await page.locator('.error-summary').count(), 0);
    assert.equal(await heading(page), survey.sectionTitle('your_household'));
    await pressButton(page, sr.button_back);
    assert.ok(await survey.choice(page, 'employment', 'other').isChecked());
    assert.equal(await specify().inputValue(), 'Волонтирам у Црвеном крсту');
  } finally {
    await context.close();
  }
});

test('the questionnaire switches to Serbian Latin with the "Latinica" link', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  const latin = new Survey(document, 'sr-Latn');
  try {
    await page.goto(server.url + campaignPath);
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Cyrl');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Latinica', exact: true }).click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Latn');
    assert.equal(await heading(page), document.title['sr-Latn']);
    assert.equal((await page.locator('.motto').innerText()).trim(), 'Da niko ne bude izostavljen');
    assert.equal(await page.getByRole('button', { name: 'Počni', exact: true }).count(), 1);
    // No Cyrillic left in the page's own texts (the link to Cyrillic and Macedonian excepted).
    const main = await page.locator('main').innerText();
    assert.doesNotMatch(main, /[\u0400-\u04FF]/, 'the introduction is all in Latin script');
    await pressButton(page, 'Počni');

    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Latn');
    assert.equal(await heading(page), latin.sectionTitle('about_you'));
    assert.equal(await page.locator('.progress-text').innerText(), 'Strana 1 od 7');
    assert.doesNotMatch(await page.locator('main').innerText(), /[\u0400-\u04FF]/, 'the page is all in Latin script');
    // An error in Latin, then the page answered.
    await pressButton(page, 'Dalje');
    assert.equal(await page.getByRole('heading', { level: 2 }).innerText(), 'Nešto nije u redu');
    assert.equal((await page.locator('.error-summary a').first().innerText()).trim(),
      `${latin.question('age_band').label['sr-Latn']} — ${latin.question('age_band').required_message['sr-Latn']}`);
    await latin.answer(page, 'age_band', '30_44');
    await latin.answer(page, 'sex', 'male');
    await latin.answer(page, 'settlement', 'urban');
    await latin.answer(page, 'employment', 'employed');
    await latin.answer(page, 'income_adequacy', 'some_difficulty');
    await latin.answer(page, 'minority', ['no']);
    await pressButton(page, 'Dalje');
    assert.equal(await page.locator('.error-summary').count(), 0);
    assert.equal(await heading(page), latin.sectionTitle('your_household'));
    assert.equal(await heading(page), 'Vaše domaćinstvo');
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Latn');
    assert.equal(await page.getByRole('button', { name: 'Nazad', exact: true }).count(), 1);
    assert.ok(await latin.group(page, 'household').isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the questionnaire works with JavaScript disabled', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(server.url + campaignPath);
    await pressButton(page, sr.button_start);
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    await pressButton(page, sr.button_next);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await survey.answer(page, 'age_band', '80_plus');
    await survey.answer(page, 'sex', 'prefer_not_to_say');
    await survey.answer(page, 'settlement', 'urban');
    await survey.answer(page, 'employment', 'retired');
    await survey.answer(page, 'income_adequacy', 'great_difficulty');
    await pressButton(page, sr.button_next);
    assert.equal(await page.locator('.error-summary').count(), 0);
    assert.equal(await heading(page), survey.sectionTitle('your_household'));
    assert.equal(await page.locator('.progress-text').innerText(), 'Страна 2 од 7');
    // And back again, still without scripts.
    await pressButton(page, sr.button_back);
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    assert.ok(await survey.choice(page, 'employment', 'retired').isChecked());
  } finally {
    await context.close();
  }
});

// Presses Tab until `predicate` holds for the focused element; returns how many presses it took.
async function tabUntil(page, predicate, arg, limit = 80) {
  for (let presses = 1; presses <= limit; ++presses) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate, arg)) return presses;
  }
  throw new Error(`Tab never reached the element (${limit} presses)`);
}

function focusIndicator(page) {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { outline: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow };
  });
}

function assertFocusVisible(indicator, what) {
  assert.ok((indicator.outline !== 'none' && indicator.outlineWidth !== '0px') || indicator.boxShadow !== 'none',
    `${what}: focus is visible (${JSON.stringify(indicator)})`);
}

test('the questionnaire can be answered with the keyboard only', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  const nextPage = async (key) => Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  try {
    await page.goto(server.url + campaignPath);
    // Tab reaches the Start button; Enter presses it.
    await tabUntil(page, (text) => document.activeElement?.textContent?.trim() === text, sr.button_start);
    assertFocusVisible(await focusIndicator(page), 'the Start button');
    await nextPage('Enter');
    assert.equal(await heading(page), survey.sectionTitle('about_you'));

    // Tab reaches the first radio; Space chooses it; the arrows move within the group.
    await tabUntil(page, () => document.activeElement?.name === 'age_band');
    assert.equal(await focusedId(), 'q-age_band-18_29');
    assertFocusVisible(await focusIndicator(page), 'a radio button');
    await page.keyboard.press('Space');
    assert.ok(await survey.choice(page, 'age_band', '18_29').isChecked());
    await page.keyboard.press('ArrowDown');
    assert.ok(await survey.choice(page, 'age_band', '30_44').isChecked());
    // Sex, settlement, employment (unemployed: four down from the first), income.
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'q-sex-female');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; ++i) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    assert.ok(await survey.choice(page, 'sex', 'female').isChecked());
    assert.ok(await survey.choice(page, 'settlement', 'urban').isChecked());
    assert.ok(await survey.choice(page, 'employment', 'unemployed').isChecked());
    assert.ok(await survey.choice(page, 'income_adequacy', 'great_difficulty').isChecked());
    // Tab on to the Next button (past the optional checkboxes) and press it.
    await tabUntil(page, (text) => document.activeElement?.textContent?.trim() === text, sr.button_next);
    assertFocusVisible(await focusIndicator(page), 'the Next button');
    await nextPage('Enter');

    // The page comes back with the follow-up year: typed, then Enter sends the page.
    assert.equal(await heading(page), survey.sectionTitle('about_you'));
    await tabUntil(page, () => document.activeElement?.id === 'q-unemployed_since');
    assertFocusVisible(await focusIndicator(page), 'a text field');
    await page.keyboard.type('2021');
    await nextPage('Enter');
    assert.equal(await heading(page), survey.sectionTitle('your_household'));

    // On a page with a Back button, Enter in a text field still means Next (the first submit button).
    await tabUntil(page, () => document.activeElement?.name === 'household');
    await page.keyboard.press('Space'); // alone
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'q-household_size');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // hh_disability: yes
    await page.keyboard.press('ArrowDown'); // no
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // caring_duties: no
    assert.ok(await survey.choice(page, 'hh_disability', 'no').isChecked());
    assert.ok(await survey.choice(page, 'caring_duties', 'no').isChecked());
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedId(), 'q-household_size');
    await nextPage('Enter');
    assert.equal(await page.locator('.error-summary').count(), 0, 'the page was accepted');
    assert.equal(await heading(page), survey.sectionTitle('risks'));

    // An error, reached from the summary by keyboard: the summary has the focus, Tab reaches the
    // first link, Enter moves the focus to the question.
    await tabUntil(page, (text) => document.activeElement?.textContent?.trim() === text, sr.button_next);
    await nextPage('Enter');
    assert.ok(await focusSettlesInside(page, '.error-summary'));
    await page.keyboard.press('Tab');
    assert.match(await focusedText(), new RegExp(survey.question('risk_factors').required_message['sr-Cyrl'].slice(0, 20)));
    assertFocusVisible(await focusIndicator(page), 'an error link');
    await page.keyboard.press('Enter');
    assert.equal(await focusedId(), 'q-risk_factors-poverty');
  } finally {
    await context.close();
  }
});
