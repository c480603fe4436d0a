// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, the
// questionnaire's own labels for finding questions the way a person reads them, and axe-core.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const axePath = join(here, 'node_modules', 'axe-core', 'axe.min.js');
export const screenshotDirectory = '/tmp/needsmap-screens';

// Under the sanitizers (NEEDSMAP_SANITIZED, scripts/test.sh) the server runs unoptimised and
// instrumented: a whole test may take a few times longer.
export const slowdown = process.env.NEEDSMAP_SANITIZED ? 3 : 1;

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs,
    timeout: 60000 });
}

// A browser context the way a respondent's phone or computer would be: the language comes from
// Accept-Language (sr-RS -> Cyrillic). Every page is bounded: no wait longer than 15 s.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'sr-RS', ...options });
  context.setDefaultTimeout(15000 * slowdown);
  context.setDefaultNavigationTimeout(15000 * slowdown);
  // Only the test server on loopback may be reached.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  return context;
}

// Records console errors (CSP violations are reported there) and uncaught page errors.
export function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    // A page with errors in the answers is sent with 422, which Chromium logs; that is expected.
    if (message.type() === 'error' && !/status of 422 /.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

// UI texts as the server has them (sr-Latn is the server's transliteration of sr-Cyrl, so its
// expected texts are written out in the tests).
export function uiTexts(language) {
  return JSON.parse(readFileSync(join(repoRoot, 'i18n', `${language}.json`), 'utf8'));
}

export async function fetchQuestionnaire(baseUrl, municipality, campaign) {
  const response = await fetch(`${baseUrl}/api/v1/campaigns/${municipality}/${campaign}/questionnaire`);
  if (!response.ok) throw new Error(`questionnaire: HTTP ${response.status}`);
  return response.json();
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A question's accessible name is its label, followed by "(optional)" when it is not required.
function labelPattern(label) {
  return new RegExp(`^${escapeRegExp(label)}(\\s+\\([^)]*\\))?$`);
}

// The questionnaire seen in one language: labels of questions, choices and rows by name.
export class Survey {
  constructor(document, language) {
    this.document = document;
    this.language = language;
    this.questions = new Map();
    this.sections = [];
    for (const section of document.sections) {
      this.sections.push({ name: section.name, title: section.title[language],
        questions: section.questions.map((q) => q.name) });
      for (const question of section.questions) {
        this.questions.set(question.name, { ...question, section: section.name });
      }
    }
  }

  question(name) {
    const q = this.questions.get(name);
    if (!q) throw new Error(`no question ${name}`);
    return q;
  }

  label(name) {
    return this.question(name).label[this.language];
  }

  choiceLabel(name, choice) {
    const c = (this.question(name).choices ?? []).find((item) => item.name === choice);
    if (!c) throw new Error(`question ${name} has no choice ${choice}`);
    return c.label[this.language];
  }

  rowLabel(name, row) {
    const r = (this.question(name).rows ?? []).find((item) => item.name === row);
    if (!r) throw new Error(`question ${name} has no row ${row}`);
    return r.label[this.language];
  }

  sectionTitle(name) {
    const s = this.sections.find((item) => item.name === name);
    if (!s) throw new Error(`no section ${name}`);
    return s.title;
  }

  sectionOf(name) {
    return this.question(name).section;
  }

  // The fieldset of a choice question, found by its legend.
  group(page, name) {
    return page.getByRole('group', { name: labelPattern(this.label(name)) });
  }

  // The text box of a text or number question, found by its label.
  textbox(page, name) {
    return page.getByRole('textbox', { name: labelPattern(this.label(name)) });
  }

  choice(page, name, choice) {
    const role = this.question(name).type === 'multiple' ? 'checkbox' : 'radio';
    return this.group(page, name).getByRole(role, { name: this.choiceLabel(name, choice), exact: true });
  }

  // Answers one question by clicking, choosing or typing, as a person would.
  async answer(page, name, value) {
    const q = this.question(name);
    switch (q.type) {
      case 'single':
      case 'scale':
        await this.choice(page, name, value).check();
        break;
      case 'multiple':
        for (const choice of value) await this.choice(page, name, choice).check();
        break;
      case 'matrix':
        for (const [row, choice] of Object.entries(value)) {
          await this.group(page, name)
            .getByRole('group', { name: this.rowLabel(name, row), exact: true })
            .getByRole('radio', { name: this.choiceLabel(name, choice), exact: true })
            .check();
        }
        break;
      case 'ranking': {
        const selects = this.group(page, name).getByRole('combobox');
        for (let i = 0; i < value.length; ++i) {
          await selects.nth(i).selectOption({ label: this.choiceLabel(name, value[i]) });
        }
        break;
      }
      default: {
        const box = this.textbox(page, name);
        await box.click();
        await box.fill('');
        await box.pressSequentially(String(value));
      }
    }
  }
}

// Waits (briefly: autofocus happens at the next rendering opportunity) until the focus is
// inside `selector`; false when it never gets there.
export async function focusSettlesInside(page, selector) {
  try {
    await page.waitForFunction((s) => {
      const container = document.querySelector(s);
      return !!container && container.contains(document.activeElement);
    }, selector, { timeout: 3000, polling: 50 });
    return true;
  } catch {
    return false;
  }
}

// Names of the questions shown on the current page, in order.
export function shownQuestions(page) {
  return page.$$eval('.question[id$="-group"]',
    (groups) => groups.map((g) => g.id.replace(/^q-/, '').replace(/-group$/, '')));
}

export function currentPageIndex(page) {
  return page.locator('input[name="_page"]').inputValue();
}

// Answers every shown question that `answers` has a value for and presses the form's first
// submit button (Next, or Send on the last page). When the server shows the same page again
// because an answer opened a follow-up question, answers that one too. Returns the names of the
// questions that were shown, and calls `onPage` on every page before it is answered.
//
// A follow-up the respondent has not seen yet may come back reported as missing (see the test
// "a required follow-up opened on the same page is shown again…"): that is tolerated here, so the
// rest of the questionnaire can be walked; errors about questions already shown are not.
export async function completePage(page, survey, answers, { onPage } = {}) {
  const seen = new Set();
  const startPage = await currentPageIndex(page);
  for (let round = 0; round < 4; ++round) {
    if (onPage) await onPage(page);
    const shown = await shownQuestions(page);
    const fresh = shown.filter((name) => !seen.has(name));
    for (const name of fresh) {
      seen.add(name);
      if (name in answers) await survey.answer(page, name, answers[name]);
    }
    await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit]').first().click()]);
    const thanks = (await page.locator('input[name="_page"]').count()) === 0;
    if (thanks) return [...seen];
    const summary = page.locator('.error-summary');
    if (await summary.count()) {
      const targets = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const shownAgain = await shownQuestions(page);
      const stale = targets.filter((href) => ![...shownAgain].some(
        (name) => !seen.has(name) && (href === `#q-${name}` || href.startsWith(`#q-${name}-`))));
      if (stale.length || (await currentPageIndex(page)) !== startPage) {
        throw new Error(`page ${startPage} has errors: ${await summary.innerText()}`);
      }
      continue;
    }
    if ((await currentPageIndex(page)) !== startPage) return [...seen];
    const shownAgain = await shownQuestions(page);
    if (shownAgain.every((name) => seen.has(name))) throw new Error(`page ${startPage} shown again with nothing new`);
  }
  throw new Error(`page ${startPage} did not move on`);
}

// Presses a button and waits for the page it leads to.
export async function pressButton(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

// Runs axe-core with the WCAG 2.1 A and AA rules; returns the violations, compactly described.
// The context must have bypassCSP: the pages' CSP forbids the script axe is injected as.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
  }));
}

// The accessible names Chromium computes for every form control on the page (hidden inputs
// excepted), from the browser's own accessibility tree.
export async function controlNames(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
      nodeId: root.nodeId, selector: 'input:not([type=hidden]), select, textarea, button' });
    const names = [];
    for (const nodeId of nodeIds) {
      const { node } = await cdp.send('DOM.describeNode', { nodeId });
      const attributes = node.attributes ?? [];
      const id = attributes[attributes.indexOf('id') + 1] ?? '';
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      const ax = nodes.find((n) => !n.ignored) ?? nodes[0];
      names.push({ element: `${node.localName}${attributes.includes('id') ? `#${id}` : ''}`,
        name: (ax?.name?.value ?? '').trim() });
    }
    return names;
  } finally {
    await cdp.detach();
  }
}

// Facts about the page that every respondent page must satisfy.
export async function pageFacts(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    h1: document.querySelectorAll('h1').length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    title: document.title,
  }));
}

// What is wrong with a page (an empty list when nothing is): its language, one heading 1, no
// sideways scrolling at `width`, a name for every form control, and axe-core's WCAG 2.1 A and
// AA rules.
export async function accessibilityProblems(page, language, what, width) {
  const problems = [];
  const facts = await pageFacts(page);
  if (facts.lang !== language) problems.push(`${what}: <html lang="${facts.lang}">, expected "${language}"`);
  if (facts.h1 !== 1) problems.push(`${what}: ${facts.h1} <h1> elements, expected one`);
  if (facts.scrollWidth > width) {
    const wide = await page.evaluate((width) => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5).map((e) => `${e.localName}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`), width);
    problems.push(`${what}: scrolls sideways at ${width}px (scrollWidth ${facts.scrollWidth}; too wide: ${wide.join(', ')})`);
  }
  for (const control of await controlNames(page)) {
    if (!control.name) problems.push(`${what}: ${control.element} has no accessible name`);
  }
  for (const v of await axeViolations(page)) {
    problems.push(`${what}: axe ${v.id} (${v.impact}) ${v.help}: ${v.nodes.join(' | ')}`);
  }
  return problems;
}

export { readCsv } from '../lib/csv.mjs';
