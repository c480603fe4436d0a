// The administration as the README's demo promises it, in a real browser (Debian's Chromium driven
// by playwright-core) against the real needsmap binary: the demo coordinator signs in and runs a
// campaign from creation to an SPSS export without the command line — creates it with a window,
// previews it in three scripts and languages, opens it, watches answers arrive (small groups
// hidden), downloads the answers as SPSS and the poster as PDF; the demo interviewer enters two
// interviews; neither reaches another municipality's data, nor the interviewer the coordinator's
// pages. Every page is found and used by its visible Serbian Cyrillic labels, and the admin pages
// are checked with axe-core (WCAG 2.1 A and AA) and for console errors (CSP violations).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, temporaryDirectory, repoRoot, uuid, needsmap } from '../lib/server.mjs';
import { demoAccounts } from '../lib/admin.mjs';
import { readSav, spssDate, storedAnswers } from '../lib/exports.mjs';
import { validAnswers } from '../lib/citizens.mjs';
import { postJson } from '../lib/http.mjs';
import {
  launchBrowser, newContext, watchProblems, uiTexts, fetchQuestionnaire, Survey, completePage,
  pressButton, axeViolations, pageFacts, escapeRegExp,
  slowdown,
} from './support.mjs';

const sr = uiTexts('sr-Cyrl');
const admin = JSON.parse(readFileSync(join(repoRoot, 'i18n', 'admin', 'sr-Cyrl.json'), 'utf8'));
const usersQuestionnaire = JSON.parse(readFileSync(join(repoRoot, 'questionnaires', 'users.json'), 'utf8'));

let server;
let browser;
let accounts;
let dir;

// The campaign the coordinator creates: the questionnaire for users of social protection (four
// short pages), open from today for four weeks.
const slug = 'korisnici-2026';
const campaignPath = `/admin/m/demo/c/${slug}`;
const day = 24 * 3600 * 1000;
const today = new Date().toISOString().slice(0, 10);
const closes = new Date(Date.now() + 28 * day).toISOString().slice(0, 10);
const contact = 'Центар за социјални рад, 012/555-010';
let created = false;
// The cookies of the coordinator's and the interviewer's sessions once they have signed in, so the
// later tests need not pay for another password hash each.
const sessions = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  accounts = await demoAccounts(server);
  dir = temporaryDirectory('needsmap-admin-walkthrough-');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Two respondents who answer in the browser (one in Cyrillic, one in Latin script), and four more
// through the JSON API, so that the results hold both a figure large enough to show and small
// groups that must be hidden. Everyone fills the questionnaire alone ("self").
const cyrillicText = 'Превоз до Дома здравља једном недељно — тест 4417.';
const latinText = 'Više mesta u dnevnom boravku — test 5521.';
const respondentCyrillic = {
  interview_mode: 'self', answering_for: 'myself', age_band: '65_79', sex: 'female', settlement: 'rural',
  living_with: 'alone', services_used: ['home_care', 'firewood_utilities'], satisfaction: 'mostly',
  help_makes_difference: 'a_lot', respect: 'always', what_is_wrong: ['too_rare', 'far'],
  missing_help: ['heating', 'transport'], barriers: ['distance_transport', 'lack_of_information'],
  know_where: 'partly', most_helpful: cyrillicText,
};
const respondentLatin = {
  interview_mode: 'self', answering_for: 'my_child', age_band: '0_17', sex: 'male', settlement: 'urban',
  living_with: 'with_family', services_used: ['day_care_disability'], satisfaction: 'fully',
  help_makes_difference: 'a_lot', respect: 'always', what_is_wrong: ['all_good'],
  missing_help: ['carer_rest'], barriers: ['no_service'], know_where: 'yes', most_helpful: latinText,
};
const apiRespondent = {
  interview_mode: 'self', answering_for: 'myself', age_band: '26_64', sex: 'female', settlement: 'urban',
  living_with: 'with_family', services_used: ['cash_social_assistance'], satisfaction: 'partly',
  help_makes_difference: 'a_little', respect: 'mostly', what_is_wrong: ['waiting'],
  missing_help: ['money'], barriers: ['cost'], know_where: 'yes',
};
const apiResponses = 4;

async function heading(page) {
  return (await page.locator('h1').innerText()).trim();
}

// Follows a link by its visible text and waits for the page it leads to.
async function follow(scope, name, page = scope) {
  await Promise.all([page.waitForNavigation(), scope.getByRole('link', { name, exact: true }).click()]);
}

// The value next to a term in a <dl class="summary">.
function summaryValue(page, term) {
  return page.locator('dl.summary > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) }) })
    .locator('dd').first().innerText().then((text) => text.trim());
}

// Signs in at /admin the way a person does: the address, the sign-in form, the button.
async function signIn(page, account) {
  await page.goto(`${server.url}/admin`);
  assert.match(new URL(page.url()).pathname, /^\/admin\/login$/, 'a visitor is sent to the sign-in page');
  assert.equal(await heading(page), admin.admin_sign_in);
  await page.getByLabel(admin.admin_email, { exact: true }).fill(account.email);
  await page.getByLabel(admin.admin_password, { exact: true }).fill(account.password);
  await pressButton(page, admin.admin_sign_in_button);
  assert.equal(await heading(page), admin.admin_municipalities);
  assert.match(await page.locator('nav.account').innerText(), new RegExp(escapeRegExp(account.email)));
  sessions[account.role] = (await page.context().storageState()).cookies;
}

// A page signed in as `account`: with the cookies of its earlier sign-in, or signing in anew.
async function signedIn(page, account) {
  if (sessions[account.role]) {
    await page.context().addCookies(sessions[account.role]);
    await page.goto(`${server.url}/admin`);
    if (await heading(page) === admin.admin_municipalities) return;
  }
  await signIn(page, account);
}

// Starts a download by clicking a link and saves it in the test's directory.
async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 15000 * slowdown }), link.click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, bytes: readFileSync(path) };
}

test('the demo coordinator runs a campaign in the browser, from creation to the SPSS export', { timeout: 75000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  const respondents = await newContext(browser);
  const respondentProblems = [];
  try {
    // Signs in, opens the municipality.
    await signIn(page, accounts.coordinator);
    const municipalities = page.getByRole('main').getByRole('list').first().getByRole('link');
    assert.deepEqual(await municipalities.allInnerTexts(), ['Демо општина'], 'only its own municipality');
    await follow(page, 'Демо општина');
    assert.equal(await heading(page), 'Демо општина');
    assert.equal(await page.getByRole('link', { name: usersQuestionnaire.title['sr-Cyrl'], exact: true }).count(), 1,
      'the demo campaigns are listed');

    // A new survey from the bundled questionnaire for users of services, with its window.
    await follow(page, admin.admin_new_campaign);
    assert.equal(await heading(page), admin.admin_new_campaign);
    await page.getByLabel(admin.admin_questionnaire, { exact: true })
      .selectOption({ label: admin.admin_questionnaire_users });
    await page.getByLabel(admin.admin_campaign_slug, { exact: true }).fill(slug);
    await page.getByLabel(admin.admin_opens, { exact: true }).fill(today);
    await page.getByLabel(admin.admin_closes, { exact: true }).fill(closes);
    await page.getByLabel(admin.admin_contact, { exact: true }).fill(contact);
    assert.equal(await page.getByLabel(admin.admin_min_cell_size, { exact: true }).inputValue(), '5',
      'the municipality\'s threshold is the default');
    assert.ok(await page.getByLabel(admin.admin_date_precision_day, { exact: true }).isChecked());
    await pressButton(page, admin.admin_create);
    created = true;

    // The campaign's page: a draft with its window, contact and public link.
    assert.equal(new URL(page.url()).pathname, campaignPath);
    assert.equal(await heading(page), usersQuestionnaire.title['sr-Cyrl']);
    assert.equal(await summaryValue(page, admin.admin_status), admin.admin_status_draft);
    assert.equal(await summaryValue(page, admin.admin_responses), '0');
    assert.equal(await summaryValue(page, admin.admin_opens), today);
    assert.equal(await summaryValue(page, admin.admin_closes), closes);
    assert.equal(await summaryValue(page, admin.admin_contact), contact);
    const publicLink = await summaryValue(page, admin.admin_public_link);
    assert.equal(publicLink, `${server.url}/s/demo/${slug}`);

    // A draft is not public yet: its link does not exist for respondents.
    const early = await respondents.newPage();
    assert.equal((await early.goto(publicLink)).status(), 404);
    assert.equal(await early.getByRole('button', { name: sr.button_start, exact: true }).count(), 0,
      'a draft campaign offers no Start button');
    await early.close();

    // The preview: a few pages, then the same page in English and in Latin script, and back.
    // (A draft's questionnaire is not public yet: the demo's own campaign of the same bundled
    // questionnaire gives its labels.)
    const document = await fetchQuestionnaire(server.url, 'demo', 'users');
    const cyrillic = new Survey(document, 'sr-Cyrl');
    const english = new Survey(document, 'en');
    const latin = new Survey(document, 'sr-Latn');
    const sections = document.sections.map((s) => s.name);
    await follow(page, admin.admin_preview_link);
    assert.equal(await heading(page), cyrillic.sectionTitle(sections[0]));
    assert.match(await page.getByRole('note').innerText(), new RegExp(escapeRegExp(admin.preview_notice)));
    assert.equal((await page.locator('.progress-text').innerText()).trim(), `Страна 1 од ${sections.length}`);
    assert.ok(await cyrillic.group(page, 'interview_mode').isVisible(), 'the first question is shown');
    assert.equal(await page.locator('form').count(), 0, 'a preview has nothing to send');
    await follow(page, sr.button_next);
    assert.equal(await heading(page), cyrillic.sectionTitle(sections[1]));
    assert.equal((await page.locator('.progress-text').innerText()).trim(), `Страна 2 од ${sections.length}`);
    const pageList = page.getByRole('navigation', { name: admin.preview_pages });
    await follow(pageList, cyrillic.sectionTitle(sections[2]), page);
    assert.equal(await heading(page), cyrillic.sectionTitle(sections[2]));
    assert.ok(await cyrillic.group(page, 'missing_help').isVisible());
    await follow(page, 'English');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await heading(page), english.sectionTitle(sections[2]));
    assert.ok(await english.group(page, 'missing_help').isVisible());
    await follow(page, 'Latinica');
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Latn');
    assert.equal(await heading(page), latin.sectionTitle(sections[2]));
    assert.doesNotMatch(await page.locator('main').innerText(), /[\u0400-\u04FF]/, 'the preview is all in Latin script');
    await follow(page, 'Ћирилица');
    assert.equal(await page.getAttribute('html', 'lang'), 'sr-Cyrl');
    await follow(page, admin.preview_back);
    assert.equal(new URL(page.url()).pathname, campaignPath);

    // Opened for answers.
    await pressButton(page, admin.admin_open);
    assert.equal(await summaryValue(page, admin.admin_status), admin.admin_status_open);
    assert.equal(await page.getByRole('button', { name: admin.admin_close, exact: true }).count(), 1);

    // Respondents answer at the public link: one in Cyrillic, one who switches to Latin script.
    const answer = async (survey, answers, { toLatin = false } = {}) => {
      const respondent = await respondents.newPage();
      const own = watchProblems(respondent);
      await respondent.goto(publicLink);
      assert.equal(await heading(respondent), document.title['sr-Cyrl']);
      assert.match(await respondent.locator('main').innerText(), new RegExp(escapeRegExp(contact)),
        'the introduction names whom to ask');
      if (toLatin) await follow(respondent, 'Latinica');
      await pressButton(respondent, toLatin ? 'Počni' : sr.button_start);
      for (const section of sections) {
        assert.equal(await heading(respondent), survey.sectionTitle(section));
        await completePage(respondent, survey, answers);
      }
      assert.equal(await heading(respondent), toLatin ? 'Hvala vam!' : sr.thanks_title);
      respondentProblems.push(...own);
      await respondent.close();
    };
    await answer(cyrillic, respondentCyrillic);
    await answer(latin, respondentLatin, { toLatin: true });
    for (let i = 0; i < apiResponses; ++i) {
      const r = await postJson(`${server.url}/api/v1/campaigns/demo/${slug}/responses`,
        { submission_id: uuid(), answers: apiRespondent });
      assert.equal(r.status, 201, r.text);
    }
    const total = 2 + apiResponses;

    // Back on the campaign's page the responses are counted, and the anonymity settings are fixed.
    await page.reload();
    assert.equal(await summaryValue(page, admin.admin_responses), String(total));
    assert.match(await page.locator('main').innerText(), new RegExp(escapeRegExp(admin.admin_anonymity_fixed)));

    // Monitoring: the figures, with the small groups hidden from a coordinator.
    await follow(page, admin.admin_results_link);
    assert.equal(await heading(page), admin.admin_results);
    assert.match(await page.locator('.notice').first().innerText(), /Бројеви мањи од 5 су скривени/);
    assert.equal(await summaryValue(page, admin.admin_results_responses), String(total));
    assert.equal(await summaryValue(page, admin.admin_results_started), admin.admin_hidden,
      'two respondents started on the web: too few to show');
    const byDate = page.locator('table').filter({ has: page.locator('caption', { hasText: admin.admin_results_by_date }) });
    const todayRow = byDate.locator('tbody tr').filter({ has: page.locator('th', { hasText: today }) });
    assert.equal(await todayRow.count(), 1, 'a row for today');
    assert.equal((await todayRow.locator('td').last().innerText()).trim(), String(total));
    const cell = (question, choice) => page.locator(`section#q-${question} tbody tr`)
      .filter({ has: page.locator('th', { hasText: new RegExp(`^${escapeRegExp(cyrillic.choiceLabel(question, choice))}$`) }) })
      .locator('td').first().innerText().then((text) => text.trim());
    assert.equal(await cell('interview_mode', 'self'), String(total), 'everyone filled it in alone: shown');
    assert.equal(await cell('interview_mode', 'field_worker'), '0');
    assert.equal(await cell('sex', 'male'), admin.admin_hidden, 'one man: hidden');
    assert.equal(await cell('age_band', '65_79'), admin.admin_hidden, 'one person of 65–79: hidden');
    // Nowhere on the page is a count of 1 to 4 shown.
    const counts = await page.locator('td.numeric').allInnerTexts();
    const small = counts.map((t) => t.trim()).filter((t) => /^\d+$/.test(t) && Number(t) > 0 && Number(t) < 5);
    assert.deepEqual(small, [], 'no small count is shown to a coordinator');
    assert.ok(counts.filter((t) => t.trim() === admin.admin_hidden).length >= 5, 'small groups are shown as hidden');
    assert.ok(await page.locator('svg.chart').count() > 0, 'the results have charts');

    // The SPSS export, downloaded from the campaign's page and read back with ReadStat.
    await follow(page.locator('.caption'), usersQuestionnaire.title['sr-Cyrl'], page);
    assert.equal(new URL(page.url()).pathname, campaignPath);
    const sav = await download(page, page.getByRole('link', { name: admin.admin_export_sav, exact: true }));
    assert.match(sav.name, /\.sav$/);
    const data = readSav(sav.path);
    assert.equal(data.records.length, total);
    assert.match(data.summary, new RegExp(`Rows: ${total}\\b`));
    const byText = (text) => data.records.filter((r) => r.most_helpful === text);
    assert.equal(byText(cyrillicText).length, 1, 'the Cyrillic respondent is in the export');
    assert.equal(byText(latinText).length, 1, 'the Latin respondent is in the export');
    const [first] = byText(cyrillicText);
    const [second] = byText(latinText);
    assert.equal(first.mode, 'web');
    assert.equal(first.language, 'sr-Cyrl');
    assert.equal(second.mode, 'web');
    assert.equal(second.language, 'sr-Latn');
    assert.equal(Number(first.submitted_on), spssDate(today), 'sent today (the date only)');
    assert.equal(data.records.filter((r) => r.mode === 'api').length, apiResponses);
    // A single choice is a code whose value label is the answer's label; a multiple choice one
    // 0/1 variable per option.
    const labelOf = (name, code) => data.variables.find((v) => v.name === name)
      ?.categories?.find((c) => c.code === Number(code))?.label;
    for (const [record, answers] of [[first, respondentCyrillic], [second, respondentLatin]]) {
      for (const name of ['answering_for', 'age_band', 'sex', 'settlement', 'living_with', 'satisfaction', 'know_where']) {
        assert.equal(labelOf(name, record[name]), cyrillic.choiceLabel(name, answers[name]), `${name} of ${answers.most_helpful}`);
      }
    }
    assert.equal(Number(first.services_used_home_care), 1);
    assert.equal(Number(first.services_used_day_care_disability), 0);
    assert.equal(Number(second.services_used_day_care_disability), 1);
    assert.equal(Number(first.missing_help_heating), 1);
    assert.equal(Number(second.what_is_wrong_all_good), 1);

    // The poster for notice boards: a PDF.
    const posterLinks = page.getByRole('main').getByRole('link', { name: 'Ћирилица', exact: true });
    assert.equal(await posterLinks.count(), 1);
    const poster = await download(page, posterLinks);
    assert.equal(poster.name, `demo-${slug}-sr-Cyrl.pdf`);
    assert.equal(poster.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(poster.bytes.length > 1000);

    assert.deepEqual(problems, [], 'no console errors on the admin pages');
    assert.deepEqual(respondentProblems, [], 'no console errors on the respondent pages');
  } finally {
    await respondents.close();
    await context.close();
  }
});

// The interviewer enters two interviews for people met in person, one after the other.
const interviews = [
  validAnswers({ age_band: '65_79', suggestions: 'Интервју у Дому здравља — тест 8812.' }),
  validAnswers({ age_band: '30_44', sex: 'male', suggestions: 'Интервју телефоном — тест 8813.' }),
];

test('the demo interviewer enters two interviews, each ending on the saved page', { timeout: 60000 * slowdown }, async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  const citizens = new Survey(await fetchQuestionnaire(server.url, 'demo', 'citizens'), 'sr-Cyrl');
  const before = [...storedAnswers(server.database, 'citizens').values()].filter((r) => r.mode === 'interview').length;
  try {
    await signIn(page, accounts.interviewer);
    // No municipality to manage; one campaign to enter interviews for.
    assert.match(await page.locator('main').innerText(), new RegExp(escapeRegExp(admin.admin_no_municipalities)));
    const entries = page.getByRole('table', { name: admin.admin_entry });
    assert.equal(await entries.locator('tbody tr').count(), 1, 'only its own campaign');
    assert.match(await entries.locator('tbody tr').innerText(), /Демо општина/);

    await follow(entries, admin.admin_entry_interview, page);
    for (const answers of interviews) {
      assert.match(new URL(page.url()).pathname, /^\/admin\/m\/demo\/c\/citizens\/entry\/interview$/);
      await pressButton(page, sr.button_start);
      for (const section of citizens.sections) {
        assert.equal(await heading(page), section.title);
        await completePage(page, citizens, answers);
      }
      assert.equal(await heading(page), admin.admin_entry_saved);
      assert.match(new URL(page.url()).pathname, /\/entry\/interview\/thanks$/);
      await follow(page, admin.admin_entry_next);
    }
    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await context.close();
  }

  // Both are stored as interviews, with the answers given and nothing about who entered them.
  const stored = [...storedAnswers(server.database, 'citizens').values()].filter((r) => r.mode === 'interview');
  assert.equal(stored.length, before + 2);
  for (const answers of interviews) {
    const [response] = stored.filter((r) => r.answers.suggestions === answers.suggestions);
    assert.ok(response, `the interview "${answers.suggestions}" is stored`);
    assert.equal(response.answers.age_band, answers.age_band);
    assert.equal(response.answers.sex, answers.sex);
    assert.equal(response.language, 'sr-Cyrl');
    assert.doesNotMatch(JSON.stringify(response), /anketar|needsmap\.example/, 'no trace of the interviewer');
  }
});

// A signed-in page that must be refused: 403 and the "no access" page, without the data.
async function refused(page, path) {
  const response = await page.goto(`${server.url}${path}`);
  assert.equal(response.status(), 403, `${path} is refused`);
  assert.equal(await heading(page), admin['http.403'], path);
  assert.equal(await page.locator('table').count(), 0, `${path} shows no data`);
}

test('neither the coordinator nor the interviewer reaches another municipality\'s data, nor the interviewer the coordinator\'s pages', { timeout: 45000 * slowdown }, async () => {
  assert.ok(created, 'the walkthrough created the campaign');
  // The refusals themselves are logged by Chromium as failed loads; any other problem is not expected.
  const unexpected = (problems) => problems.filter((p) => !/status of 403 /.test(p));

  const coordinatorContext = await newContext(browser);
  const interviewerContext = await newContext(browser);
  try {
    const page = await coordinatorContext.newPage();
    const problems = watchProblems(page);
    await signedIn(page, accounts.coordinator);
    assert.doesNotMatch(await page.locator('main').innerText(), /Суседна/, 'the neighbouring municipality is not listed');
    for (const path of ['/admin/m/susedna', '/admin/m/susedna/new', '/admin/m/susedna/users', '/admin/m/susedna/audit',
      '/admin/m/susedna/c/citizens', '/admin/m/susedna/c/citizens/results', '/admin/m/susedna/c/citizens/preview',
      '/admin/m/susedna/c/citizens/export?format=sav', '/admin/m/susedna/c/citizens/poster?lang=sr-Cyrl',
      '/admin/m/susedna/c/citizens/entry/interview']) {
      await refused(page, path);
    }
    // A form posted to the neighbour's campaign with the coordinator's own valid token changes nothing.
    await page.goto(`${server.url}${campaignPath}`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const post = await page.request.post(`${server.url}/admin/m/susedna/c/citizens/status`,
      { form: { _csrf: csrf, status: 'closed' }, maxRedirects: 0 });
    assert.equal(post.status(), 403);
    assert.deepEqual(unexpected(problems), []);

    const interviewer = await interviewerContext.newPage();
    const interviewerProblems = watchProblems(interviewer);
    await signedIn(interviewer, accounts.interviewer);
    for (const path of ['/admin/m/demo', '/admin/m/demo/new', '/admin/m/demo/users', '/admin/m/demo/audit',
      campaignPath, `${campaignPath}/results`, `${campaignPath}/preview`, `${campaignPath}/export?format=sav`,
      `${campaignPath}/entry/interview`, '/admin/m/demo/c/citizens', '/admin/m/demo/c/citizens/results',
      '/admin/m/demo/c/citizens/export?format=csv', '/admin/m/susedna', '/admin/m/susedna/c/citizens/results',
      '/admin/m/susedna/c/citizens/entry/interview']) {
      await refused(interviewer, path);
    }
    assert.deepEqual(unexpected(interviewerProblems), []);
  } finally {
    await interviewerContext.close();
    await coordinatorContext.close();
  }

  // The neighbour's campaign is still open.
  const neighbour = await fetch(`${server.url}/s/susedna/citizens`);
  assert.equal(neighbour.status, 200);
});

// Checks one admin page and returns what is wrong with it.
async function checkAdminPage(page, what) {
  const problems = [];
  const facts = await pageFacts(page);
  if (facts.lang !== 'sr-Cyrl') problems.push(`${what}: <html lang="${facts.lang}">`);
  if (facts.h1 !== 1) problems.push(`${what}: ${facts.h1} <h1> elements, expected one`);
  for (const v of await axeViolations(page)) {
    problems.push(`${what}: axe ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).join(' | ')}`);
  }
  return problems;
}

test('the admin pages meet WCAG 2.1 AA (axe-core)', { timeout: 120000 * slowdown }, async () => {
  assert.ok(created, 'the walkthrough created the campaign');
  // axe is injected as a script, which the pages' CSP forbids: this context bypasses it.
  const context = await newContext(browser, { bypassCSP: true });
  const page = await context.newPage();
  const problems = [];
  const visited = [];
  const check = async (what) => { visited.push(what); problems.push(...await checkAdminPage(page, what)); };
  try {
    await page.goto(`${server.url}/admin`);
    await check('sign-in page');
    await page.getByLabel(admin.admin_email, { exact: true }).fill(accounts.coordinator.email);
    await page.getByLabel(admin.admin_password, { exact: true }).fill('not the password');
    await pressButton(page, admin.admin_sign_in_button);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('sign-in page with an error');
    await signedIn(page, accounts.coordinator);
    await check('admin home');
    await follow(page, 'Демо општина');
    await check('municipality');
    await follow(page, admin.admin_new_campaign);
    await check('new campaign form');
    await pressButton(page, admin.admin_create);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('new campaign form with errors');
    await page.goto(`${server.url}${campaignPath}`);
    await check('campaign');
    await follow(page, admin.admin_results_link);
    await check('results');
    await page.goto(`${server.url}${campaignPath}`);
    await follow(page, admin.admin_preview_link);
    await check('preview, page 1');
    await follow(page, sr.button_next);
    await check('preview, page 2');
    await page.goto(`${server.url}${campaignPath}`);
    await follow(page, admin.admin_analysis);
    await check('analysis form');
    await page.selectOption('#question', 'sex');
    await page.selectOption('#by', 'settlement');
    await pressButton(page, admin.admin_analysis_show);
    assert.ok(await page.locator('svg.chart').count() >= 1, 'the analysis shows a chart');
    await check('analysis with tables and charts');
    await page.goto(`${server.url}/admin/m/demo/c/citizens`);
    await follow(page, admin.admin_answers_link);
    await check('open answers');
    await follow(page, 'Шта би општина требало да уради да нико не буде изостављен? Напишите своје предлоге.');
    await check('open answers of a question');
    await pressButton(page, admin.admin_answers_theme_add_button);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('open answers with an error');
    await page.getByLabel(admin.admin_answers_theme_label, { exact: true }).fill('Здравље');
    await pressButton(page, admin.admin_answers_theme_add_button);
    assert.ok(await page.locator('.answer input[type=checkbox]').count() >= 1, 'answers can be tagged');
    await check('open answers with themes to tag');
    await page.goto(`${server.url}${campaignPath}`);
    await follow(page, admin.admin_import_responses);
    await check('responses upload');
    await pressButton(page, admin.admin_import);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('responses upload with an error');
    await page.goto(`${server.url}${campaignPath}/analysis?question=sex&by=settlement`);
    await page.check('#weights-raked');
    await pressButton(page, admin.admin_analysis_show);
    await check('analysis weighted, or why it cannot be');
    await page.goto(`${server.url}${campaignPath}`);
    await follow(page, admin.admin_profiles_link);
    await check('needs by vulnerable group');
    await page.goto(`${server.url}/admin/m/demo/questionnaires`);
    await check('questionnaires');
    await page.goto(`${server.url}/admin/m/demo`);
    await follow(page, admin.admin_population_link);
    await check('population table');
    await pressButton(page, admin.admin_save);
    await check('population table after saving');
    await page.goto(`${server.url}/admin/m/demo`);
    await follow(page, admin.admin_resources_link);
    await check('resource summary');
    const imported = needsmap(['registry', 'import', '--db', server.database, '--municipality', 'demo',
                               '--format', 'json', join(repoRoot, 'tests/data/registry/resources.json')]);
    assert.equal(imported.status, 0, imported.stderr);
    await page.reload();
    assert.ok(await page.locator('svg.chart').count() >= 3, 'the resource summary shows charts');
    await check('resource summary of a registry');
    // The gap analysis puts generated citizens' answers beside that registry.
    const generated = needsmap(['generate', 'responses', '--db', server.database, '--campaign', 'demo/citizens',
                                '--count', '200', '--seed', '5']);
    assert.equal(generated.status, 0, generated.stderr);
    await page.goto(`${server.url}/admin/m/demo/c/citizens`);
    await follow(page, admin.admin_plan_link);
    assert.equal(await page.locator('#priorities').count(), 1, 'the plan ranks the services');
    await check('gaps and priorities');
    await page.goto(`${server.url}/admin/m/demo/groups`);
    await check('vulnerable groups');
    await page.locator('#name').fill('Лоше');
    await pressButton(page, admin.admin_save);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('vulnerable groups with errors');
    await page.goto(`${server.url}/admin/m/demo/users`);
    await check('users');
    await page.goto(`${server.url}/admin/m/demo/audit`);
    await check('audit log');
    // The registry of providers: a provider and a service through the forms, a proposed update
    // (a coordinator may open the providers' form too) and its field-by-field review.
    await page.goto(`${server.url}/admin/m/demo`);
    await follow(page, admin.admin_registry);
    await check('registry');
    await follow(page, admin.admin_registry_new_organization);
    await pressButton(page, admin.admin_save);
    assert.equal(await page.locator('.error-summary').count(), 1);
    await check('new organisation with errors');
    await page.getByLabel(admin.admin_registry_field_name, { exact: true }).fill('Црвени крст');
    await page.getByLabel(admin.admin_registry_field_description, { exact: true }).fill('Хуманитарна организација');
    await pressButton(page, admin.admin_save);
    const organizationUrl = page.url().replace(/\?.*$/, '');
    await check('organisation with its history');
    await follow(page, admin.admin_registry_new_service);
    await check('new service form');
    await page.getByLabel(admin.admin_registry_field_name, { exact: true }).fill('Помоћ у кући');
    await page.selectOption('#status', 'active');
    await page.getByLabel(admin.admin_registry_field_current_users, { exact: true }).fill('12');
    await pressButton(page, admin.admin_save);
    await check('service with its history');
    await page.goto(`${organizationUrl}/propose`);
    await check('update my organisation');
    await page.locator('#current_users').fill('15');
    await pressButton(page, admin.admin_registry_propose_send);
    await page.goto(`${server.url}/admin/m/demo/registry/proposals`);
    await check('proposed updates');
    await Promise.all([page.waitForNavigation(), page.locator('a[href*="/registry/proposals/"]').first().click()]);
    await check('a proposed update, field by field');
    await page.goto(`${server.url}/admin/password`);
    await check('password change');
    await page.goto(`${server.url}/admin/m/susedna`);
    await check('no access (403)');
  } finally {
    await context.close();
  }
  assert.equal(visited.length, 40);
  assert.deepEqual(problems, [], `accessibility problems:\n${problems.join('\n')}`);
});
