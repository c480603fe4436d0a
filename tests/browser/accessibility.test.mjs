// Accessibility of the respondent pages, in a real browser against the real needsmap binary:
// axe-core's WCAG 2.1 A and AA rules, the page language, one heading 1, a name for every form
// control, and no sideways scrolling on a small phone (360×640). Also leaves screenshots in
// /tmp/needsmap-screens for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import {
  launchBrowser, newContext, uiTexts, fetchQuestionnaire, Survey, completePage, pressButton,
  accessibilityProblems, screenshotDirectory, shownQuestions,
  slowdown,
} from './support.mjs';

let server;
let browser;
let document;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  document = await fetchQuestionnaire(server.url, 'demo', 'citizens');
  mkdirSync(screenshotDirectory, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const phone = { width: 360, height: 640 };

// Answers that open as many follow-up questions as possible, so their markup is checked too.
const answers = {
  age_band: '30_44', sex: 'female', settlement: 'rural', employment: 'unemployed', unemployed_since: '2020',
  income_adequacy: 'great_difficulty', minority: ['roma'],
  household: 'single_parent', household_size: '3', children_under_18: '2', hh_disability: 'yes',
  hh_disability_who: ['child'], hh_disability_kind: ['intellectual', 'mobility'],
  caring_duties: 'yes_household', caring_hours: '40',
  risk_factors: ['poverty', 'disability'], housing_condition: 'poor', lonely: 'sometimes',
  help_source: ['family', 'csr'], violence_experience: 'no',
  current_user: 'yes',
  services_known: {
    one_off_cash_assistance: 'used', cash_social_assistance: 'used', home_care: 'dont_know',
    day_care_older: 'dont_know', day_care_disability: 'know_not_used', personal_companion: 'dont_know',
    soup_kitchen: 'dont_know', firewood_utilities: 'used', counselling_family_support: 'dont_know',
  },
  services_satisfaction: 'dissatisfied', satisfaction_problems: ['waited_long', 'too_little'],
  info_source: ['csr'], csr_contact: 'yes',
  barriers: ['complicated_procedures', 'distance_transport'], gave_up: 'yes', travel_time: '30_60',
  public_transport: 'none', internet_use: 'with_help',
  unmet_need: 'yes', unmet_need_what: ['day_care_disability'], unmet_need_describe: 'Дневни боравак / day care',
  needed_groups: ['children_developmental_disabilities'], top_services: ['day_care_disability', 'respite', 'personal_companion'],
  home_care_interest: 'maybe', co_payment: 'cannot_afford', volunteering: 'no',
  municipality_care: 'partly', suggestions: 'Више места у дневном боравку.', fill_mode: 'alone',
};

// Checks one page and returns what is wrong with it (an empty list when nothing is).
const checkPage = (page, language, what) => accessibilityProblems(page, language, what, phone.width);

async function screenshot(page, name) {
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
}

for (const language of ['sr-Cyrl', 'en']) {
  test(`respondent pages meet WCAG 2.1 AA and fit a 360px phone (${language})`, { timeout: 120000 * slowdown }, async () => {
    const ui = uiTexts(language);
    const survey = new Survey(document, language);
    const context = await newContext(browser, {
      locale: language === 'en' ? 'en-GB' : 'sr-RS', viewport: phone, bypassCSP: true });
    const page = await context.newPage();
    const problems = [];
    const visited = [];
    const check = async (what) => { visited.push(what); problems.push(...await checkPage(page, language, what)); };
    try {
      await page.goto(`${server.url}/`);
      await check('home page /');

      await page.goto(`${server.url}/s/demo/citizens`);
      assert.equal(await page.getByRole('button', { name: ui.button_start, exact: true }).count(), 1);
      await check('intro page');
      await screenshot(page, `intro-${language}`);

      await pressButton(page, ui.button_start);
      // The error state: page one sent empty.
      await pressButton(page, ui.button_next);
      assert.equal(await page.locator('.error-summary').count(), 1);
      await check('page 1 with errors');
      await screenshot(page, `errors-${language}`);

      // Every page, with valid answers (and the follow-ups they open).
      const seen = new Set();
      for (const section of document.sections) {
        const title = survey.sectionTitle(section.name);
        assert.equal((await page.locator('h1').innerText()).trim(), title);
        let round = 0;
        const shown = await completePage(page, survey, answers, {
          onPage: async () => { await check(`page "${title}"${round++ ? ' shown again' : ''}`); },
        });
        for (const name of shown) seen.add(name);
      }
      for (const name of ['children_under_18', 'hh_disability_who', 'caring_hours', 'services_satisfaction',
        'satisfaction_problems', 'travel_time', 'unmet_need_describe', 'home_care_interest']) {
        assert.ok(seen.has(name), `follow-up ${name} was shown and checked`);
      }

      assert.equal((await page.locator('h1').innerText()).trim(), ui.thanks_title);
      await check('thank-you page');
      await screenshot(page, `thanks-${language}`);
    } finally {
      await context.close();
    }
    assert.ok(visited.length >= 11, `checked ${visited.length} pages`);
    assert.deepEqual(problems, [], `accessibility problems:\n${problems.join('\n')}`);
  });
}

test('every link in the error summary tells which question it is about', { timeout: 60000 * slowdown }, async () => {
  // WCAG 2.4.4 (link purpose) and 3.3.1 (error identification): the summary's links go to
  // different questions, so they must not all read the same ("Изаберите један одговор.").
  const ui = uiTexts('sr-Cyrl');
  const context = await newContext(browser, { viewport: phone });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/s/demo/citizens`);
    await pressButton(page, ui.button_start);
    await pressButton(page, ui.button_next);
    const links = await page.locator('.error-summary a').evaluateAll(
      (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
    assert.ok(links.length >= 2);
    const byText = new Map();
    for (const link of links) byText.set(link.text, [...(byText.get(link.text) ?? []), link.href]);
    const ambiguous = [...byText].filter(([, hrefs]) => hrefs.length > 1)
      .map(([text, hrefs]) => `"${text}" → ${hrefs.join(', ')}`);
    assert.deepEqual(ambiguous, [], 'links with the same text lead to different questions');
    // Each link's target is an answer of a question shown on the page.
    const shown = await shownQuestions(page);
    for (const link of links) {
      assert.ok(shown.some((name) => link.href.startsWith(`#q-${name}-`)), `${link.href} is on the page`);
      assert.equal(await page.locator(link.href).count(), 1);
    }
  } finally {
    await context.close();
  }
});

test('the error summary is an alert, each error is read with its question, and the summary is on screen on a phone', { timeout: 60000 * slowdown }, async () => {
  const ui = uiTexts('sr-Cyrl');
  const context = await newContext(browser, { viewport: phone });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/s/demo/citizens`);
    await pressButton(page, ui.button_start);
    await pressButton(page, ui.button_next);
    const summary = page.locator('.error-summary');
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.equal(await summary.getAttribute('tabindex'), '-1');
    // The summary and each error are tied to what they describe.
    for (const group of await page.locator('.question.has-error fieldset').all()) {
      const describedby = (await group.getAttribute('aria-describedby')) ?? '';
      const errorId = describedby.split(' ').find((id) => id.endsWith('-error'));
      assert.ok(errorId, 'a question in error is described by its error message');
      assert.equal(await page.locator(`#${errorId}`).count(), 1);
    }
    // The summary is on screen at the top of a small phone's page.
    const box = await summary.boundingBox();
    assert.ok(box && box.y < phone.height && box.width <= phone.width);
  } finally {
    await context.close();
  }
});

test('an "or" divider separates exclusive answers from the others and never comes first', { timeout: 60000 * slowdown }, async () => {
  // "Да ли припадате ромској заједници…?" begins with the exclusive "Не": a divider before it
  // would read "или / Не / Да, ромској заједници / …".
  const ui = uiTexts('sr-Cyrl');
  const survey = new Survey(document, 'sr-Cyrl');
  const context = await newContext(browser, { viewport: phone });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/s/demo/citizens`);
    await pressButton(page, ui.button_start);
    const group = survey.group(page, 'minority');
    const items = await group.locator('.choices > *').evaluateAll((elements) => elements.map((e) =>
      (e.classList.contains('choices-divider') ? `[${e.textContent.trim()}]` : e.textContent.trim())));
    assert.equal(items.filter((item) => item === `[${ui.or}]`).length, 1, `dividers: ${items.join(' / ')}`);
    assert.notEqual(items[0], `[${ui.or}]`, `the list begins with a divider: ${items.join(' / ')}`);
    assert.equal(items.at(-2), `[${ui.or}]`, 'the divider stands before "prefer not to say"');
  } finally {
    await context.close();
  }
});
