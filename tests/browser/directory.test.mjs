// The public directory of services in Chromium: axe-core's WCAG 2.1 A and AA rules on its pages
// in every language at a small phone's width, a search done with the keyboard alone, and a
// search and a service's page with JavaScript disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, repoRoot } from '../lib/server.mjs';
import { launchBrowser, newContext, uiTexts, accessibilityProblems, slowdown } from './support.mjs';

let server;
let browser;
const phone = { width: 360, height: 640 };
const demo = JSON.parse(readFileSync(join(repoRoot, 'data', 'registry', 'demo.json'), 'utf8'));
const services = demo.organizations.flatMap((o) => o.services);
const dayCare = services.find((s) => s.name.startsWith('Дневни боравак'));
const sos = services.find((s) => s.name.startsWith('Ђурђевак'));

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const resultNames = (page) => page.locator('.directory-results h3').allInnerTexts();

for (const language of ['sr-Cyrl', 'sr-Latn', 'en', 'mk']) {
  test(`the directory's pages meet WCAG 2.1 AA on a 360px phone (${language})`, { timeout: 120000 * slowdown }, async () => {
    // axe-core is injected as a script, which the pages' Content-Security-Policy forbids.
    const context = await newContext(browser, { viewport: phone, bypassCSP: true });
    const page = await context.newPage();
    const problems = [];
    try {
      for (const [what, path] of [
        ['the list', '/d/demo'],
        ['a search with filters', `/d/demo?q=dnevni&place=${encodeURIComponent('Жагубица')}`],
        ['an empty result', '/d/demo?q=xyzzy'],
        ['a service with places', `/d/demo/services/${dayCare.id}`],
        ['the SOS line', `/d/demo/services/${sos.id}`],
      ]) {
        const response = await page.goto(`${server.url}${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
        assert.equal(response.status(), 200, path);
        problems.push(...await accessibilityProblems(page, language, `${what} (${path})`, phone.width));
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, [], `accessibility problems:\n${problems.join('\n')}`);
  });
}

test('a search with the keyboard alone: tab to the field, type, tab to the button, press Enter', { timeout: 60000 * slowdown }, async () => {
  const ui = uiTexts('sr-Cyrl');
  const context = await newContext(browser, { viewport: phone });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/d/demo`);
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    let presses = 0;
    while ((await focusedId()) !== 'q' && presses++ < 20) await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'q', 'the search field is reached by Tab');
    await page.keyboard.type('dnevni boravak');
    // On through the three selects to the button, each one reached in turn.
    for (const id of ['type', 'group', 'place']) {
      await page.keyboard.press('Tab');
      assert.equal(await focusedId(), id);
    }
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), ui.directory_search_button);
    await Promise.all([page.waitForURL(/q=dnevni/), page.keyboard.press('Enter')]);
    assert.deepEqual(await resultNames(page), [dayCare.name]);
    // And on to the service itself.
    const link = page.getByRole('link', { name: dayCare.name, exact: true });
    await link.focus();
    await Promise.all([page.waitForURL(/\/services\//), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('h1').innerText()).trim(), dayCare.name);
  } finally {
    await context.close();
  }
});

test('the directory works with JavaScript disabled', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser, { viewport: phone, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/d/demo?lang=sr-Latn`);
    await page.getByLabel('Šta tražite').fill('DNEVNI BORÁVAK');
    await page.getByLabel('Naselje').selectOption({ label: 'Žagubica' });
    await Promise.all([page.waitForURL(/place=/), page.getByRole('button', { name: 'Traži' }).click()]);
    assert.deepEqual(await resultNames(page), ['Dnevni boravak za decu i mlade sa smetnjama u razvoju']);
    // Nothing found, then the offered way back to every service.
    await page.getByLabel('Šta tražite').fill('xyzzy');
    await Promise.all([page.waitForURL(/q=xyzzy/), page.getByRole('button', { name: 'Traži' }).click()]);
    assert.deepEqual(await resultNames(page), []);
    await Promise.all([page.waitForURL(/\/d\/demo\?lang=sr-Latn$/),
      page.getByRole('link', { name: 'Poništite pretragu i filtere da vidite sve usluge.' }).click()]);
    assert.equal((await resultNames(page)).length, services.length);
    await page.getByRole('link', { name: 'Narodna kuhinja', exact: true }).click();
    assert.equal((await page.locator('h1').innerText()).trim(), 'Narodna kuhinja');
  } finally {
    await context.close();
  }
});
