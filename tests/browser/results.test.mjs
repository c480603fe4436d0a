// Published results (/r/{m}/{c}) in Chromium: once a coordinator has published the demo citizens'
// campaign, the public page meets axe-core's WCAG 2.1 A and AA rules in Serbian Cyrillic, Latin and
// English on a 360px phone and at a desktop's width, and so does the coordinator's publish page; a
// full-page screenshot is taken; the page is read and its PDF downloaded with JavaScript disabled;
// the keyboard reaches the skip link first, then a scrolling table and the PDF link; and the site's
// print stylesheet applies to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { signedInSessions } from '../lib/admin.mjs';
import { fortyRespondents, submitAll } from '../lib/citizens.mjs';
import {
  launchBrowser, newContext, accessibilityProblems, screenshotDirectory, slowdown,
} from './support.mjs';

let server;
let browser;
let sessions;
const phone = { width: 360, height: 640 };
const desktop = { width: 1280, height: 800 };
const results = '/r/demo/citizens';
const publishPage = '/admin/m/demo/c/citizens/publish';

// The respondents of tests/integration/results_publish.test.mjs: 40 answers, 26 in towns and 14 in
// villages; twelve needed home care and did not get it, two a day care centre (too few to show).
const plan = fortyRespondents();

// The report's title and the caption of the table of settlements, by language.
const expected = {
  'sr-Cyrl': { title: 'Резултати истраживања социјалних потреба', settlement: 'Где живите?' },
  'sr-Latn': { title: 'Rezultati istraživanja socijalnih potreba', settlement: 'Gde živite?' },
  en: { title: 'Results of the social needs survey', settlement: 'Where do you live?' },
};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  sessions = await signedInSessions(server, ['coordinator']);
  await submitAll(server.url, plan);
  const r = await sessions.coordinator.post(`${publishPage}?lang=en`, [['action', 'publish']]);
  assert.equal(r.status, 303, r.text);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The coordinator's session cookie (nm_admin=…) for a browser context.
function coordinatorCookies() {
  const [name, value] = sessions.coordinator.cookie.split(/=(.*)/s);
  return [{ name, value, url: server.url }];
}

async function open(page, path) {
  const response = await page.goto(`${server.url}${path}`);
  assert.equal(response.status(), 200, path);
  return response;
}

// The width and height a PNG declares in its IHDR chunk.
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

for (const language of ['sr-Cyrl', 'sr-Latn', 'en']) {
  test(`the published results meet WCAG 2.1 AA on a 360px phone and at desktop width (${language})`, { timeout: 120000 * slowdown }, async () => {
    const problems = [];
    for (const [what, viewport] of [['phone', phone], ['desktop', desktop]]) {
      // axe-core is injected as a script, which the pages' Content-Security-Policy forbids.
      const context = await newContext(browser, { viewport, bypassCSP: true });
      const page = await context.newPage();
      try {
        await open(page, `${results}?lang=${language}`);
        // The page is the one published, in the language asked for.
        assert.equal((await page.locator('article.report h1').innerText()).trim(), expected[language].title);
        assert.ok(await page.locator('article.report svg.chart[role=img]').count() > 0, 'charts');
        problems.push(...await accessibilityProblems(page, language, `${results} (${what}, ${viewport.width}px)`,
          viewport.width));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, [], `accessibility problems:\n${problems.join('\n')}`);
  });
}

test('the coordinator\'s publish page meets WCAG 2.1 AA on a phone and at desktop width (sr-Latn)', { timeout: 60000 * slowdown }, async () => {
  const problems = [];
  for (const [what, viewport] of [['phone', phone], ['desktop', desktop]]) {
    const context = await newContext(browser, { viewport, bypassCSP: true });
    await context.addCookies(coordinatorCookies());
    const page = await context.newPage();
    try {
      await open(page, `${publishPage}?lang=sr-Latn`);
      assert.equal(new URL(page.url()).pathname, publishPage, 'signed in, not sent to the sign-in page');
      assert.equal(await page.locator('form[action^="/admin/m/demo/c/citizens/publish"]').count(), 2,
        'the forms to publish again and to take the results down');
      problems.push(...await accessibilityProblems(page, 'sr-Latn', `${publishPage} (${what}, ${viewport.width}px)`,
        viewport.width));
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(problems, [], `accessibility problems:\n${problems.join('\n')}`);
});

test('a full-page screenshot of the published results at desktop width is a long PNG', { timeout: 60000 * slowdown }, async (t) => {
  const context = await newContext(browser, { viewport: desktop });
  const page = await context.newPage();
  try {
    await open(page, `${results}?lang=sr-Cyrl`);
    mkdirSync(screenshotDirectory, { recursive: true });
    const path = join(screenshotDirectory, 'results-sr-Cyrl-desktop.png');
    await page.screenshot({ path, fullPage: true, timeout: 30000 * slowdown });
    const bytes = readFileSync(path);
    const size = pngSize(bytes);
    t.diagnostic(`${path}: ${size.width}×${size.height}, ${bytes.length} bytes`);
    assert.ok(bytes.length > 20 * 1024, `${bytes.length} bytes`);
    assert.equal(size.width, desktop.width);
    assert.ok(size.height > size.width, `${size.width}×${size.height}: a long page`);
  } finally {
    await context.close();
  }
});

test('the published results work with JavaScript disabled: headings, tables and the PDF', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser, { viewport: phone, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await open(page, `${results}?lang=sr-Latn`);
    const report = page.locator('article.report');
    assert.equal((await report.getByRole('heading', { level: 1 }).innerText()).trim(), expected['sr-Latn'].title);
    assert.ok(await report.getByRole('heading', { level: 2 }).count() >= 5, 'the sections\' headings');
    // The table of settlements, inside its scrolling region named by the table's caption.
    // (The section around it is a region with the question as its name too.)
    const region = page.locator('div.table-scroll')
      .and(page.getByRole('region', { name: expected['sr-Latn'].settlement, exact: true }));
    assert.equal(await region.getAttribute('tabindex'), '0');
    const table = region.getByRole('table', { name: expected['sr-Latn'].settlement, exact: true });
    assert.equal(await table.count(), 1);
    assert.ok(await table.locator('th[scope=col]').count() > 0, 'column headers');
    assert.ok(await table.locator('th[scope=row]').count() >= 2, 'row headers: town and village');
    // The three files are offered; the PDF downloads as one.
    for (const format of ['pdf', 'docx', 'xlsx']) {
      assert.equal(await page.locator(`a[href="${results}/report.${format}?lang=sr-Latn"]`).count(), 1, format);
    }
    const link = page.locator(`a[href="${results}/report.pdf?lang=sr-Latn"]`);
    const response = await page.request.get(new URL(await link.getAttribute('href'), page.url()).href);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = readFileSync(await download.path());
    assert.equal(file.toString('latin1', 0, 5), '%PDF-', download.suggestedFilename());
  } finally {
    await context.close();
  }
});

test('with the keyboard: the skip link first, then a scrolling table and the PDF link', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser, { viewport: desktop });
  const page = await context.newPage();
  try {
    await open(page, `${results}?lang=en`);
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return { tag: e?.localName ?? '', classes: [...(e?.classList ?? [])], href: e?.getAttribute('href') ?? '',
        role: e?.getAttribute('role') ?? '' };
    });
    await page.keyboard.press('Tab');
    const first = await focused();
    assert.ok(first.tag === 'a' && first.classes.includes('skip-link'), `the first Tab reaches ${JSON.stringify(first)}`);
    assert.ok(await page.locator('a.skip-link').isVisible(), 'the skip link shows when focused');
    let region = false;
    let pdf = false;
    for (let presses = 0; presses < 150 && !pdf; ++presses) {
      await page.keyboard.press('Tab');
      const now = await focused();
      if (now.classes.includes('table-scroll') && now.role === 'region') region = true;
      if (now.tag === 'a' && /\/report\.pdf\?lang=en$/.test(now.href)) pdf = true;
      if (now.tag === 'body' || now.tag === '') break;  // out of the page: round again would start over
    }
    assert.ok(region, 'Tab reaches a scrolling table region');
    assert.ok(pdf, 'Tab reaches the PDF download link');
  } finally {
    await context.close();
  }
});

test('the print stylesheet applies to the published results', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser, { viewport: desktop });
  const page = await context.newPage();
  try {
    await open(page, `${results}?lang=en`);
    // The @media print rules of the loaded stylesheets, as selectors.
    const printSelectors = await page.evaluate(() => {
      const selectors = [];
      const walk = (rules, print) => {
        for (const rule of rules) {
          if (rule instanceof CSSMediaRule) walk(rule.cssRules, print || /\bprint\b/.test(rule.media.mediaText));
          else if (print && rule.selectorText) selectors.push(rule.selectorText);
        }
      };
      for (const sheet of document.styleSheets) walk(sheet.cssRules, false);
      return selectors;
    });
    assert.ok(printSelectors.length > 0, 'the loaded CSS has an @media print block');
    await page.emulateMedia({ media: 'print' });
    // What the print block does hide: the header and the skip link.
    assert.equal(await page.locator('header.header').evaluate((e) => getComputedStyle(e).display), 'none');
    // Tables print whole (nothing scrolls on paper), and the download links are left out.
    const overflow = await page.locator('.table-scroll').first().evaluate((e) => getComputedStyle(e).overflowX);
    assert.equal(overflow, 'visible', 'a scrolling table prints whole');
    assert.equal(await page.locator('.report-files').evaluate((e) => getComputedStyle(e).display), 'none');
  } finally {
    await context.close();
  }
});
