// The bundled citizens questionnaire as integration tests use it: a valid answer set, and a
// respondent who walks the pages with plain form posts, as a browser without JavaScript does.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cookiesFrom, formAction, hiddenField, fieldNames, postForm, postJson, request } from './http.mjs';
import { startServer } from './server.mjs';

export const serviceRows = [
  'one_off_cash_assistance', 'cash_social_assistance', 'home_care', 'day_care_older',
  'day_care_disability', 'personal_companion', 'soup_kitchen', 'firewood_utilities',
  'counselling_family_support',
];

// A complete, valid response: every required question answered, no follow-up opened.
export function validAnswers(overrides = {}) {
  return {
    age_band: '45_64',
    sex: 'female',
    settlement: 'urban',
    employment: 'employed',
    income_adequacy: 'difficulty',
    household: 'couple_children',
    household_size: 4,
    children_under_18: 2,
    hh_disability: 'no',
    caring_duties: 'no',
    risk_factors: ['poverty', 'debt'],
    housing_condition: 'fair',
    lonely: 'rarely',
    help_source: ['family'],
    current_user: 'no',
    services_known: Object.fromEntries(serviceRows.map((r) => [r, 'dont_know'])),
    info_source: ['csr'],
    csr_contact: 'no',
    barriers: ['cost'],
    gave_up: 'no',
    internet_use: 'yes_alone',
    unmet_need: 'no',
    needed_groups: ['older_alone'],
    top_services: ['home_care', 'soup_kitchen'],
    co_payment: 'small_part',
    volunteering: 'maybe',
    municipality_care: 'partly',
    fill_mode: 'alone',
    ...overrides,
  };
}

export function apiPaths(base, municipality = 'demo', campaign = 'citizens') {
  const api = `${base}/api/v1/campaigns/${municipality}/${campaign}`;
  return { questionnaire: `${api}/questionnaire`, responses: `${api}/responses`,
           page: `${base}/s/${municipality}/${campaign}` };
}

// Question name → question, from the API's questionnaire JSON.
export function questionIndex(questionnaire) {
  const index = new Map();
  for (const section of questionnaire.sections) {
    for (const q of section.questions) index.set(q.name, q);
  }
  return index;
}

// The form fields a browser sends for one answer.
export function formFieldsFor(question, name, value) {
  const type = question?.type ?? 'text'; // "<question>_other" is an implicit text question
  switch (type) {
    case 'multiple': return value.map((v) => [name, v]);
    case 'matrix': return Object.entries(value).map(([row, v]) => [`${name}/${row}`, v]);
    case 'ranking': return value.map((v, i) => [`${name}/${i + 1}`, v]);
    default: return [[name, String(value)]];
  }
}

function answerIsOnPage(names, question, name) {
  if (names.has(name)) return true;
  if (question?.type === 'matrix' || question?.type === 'ranking') {
    return [...names].some((n) => n.startsWith(`${name}/`));
  }
  return false;
}

// A respondent without JavaScript: keeps the draft cookie by hand and posts each page with the
// answers whose fields are on it. Every response is kept in `responses` for checks by the test.
export class Respondent {
  constructor(pageUrl, questionnaire, { language, headers = {} } = {}) {
    this.pageUrl = pageUrl;
    this.index = questionIndex(questionnaire);
    this.language = language;
    this.headers = headers;
    this.cookie = undefined;
    this.responses = [];
  }

  record(url, r) {
    this.responses.push({ url, ...r });
    return r;
  }

  async get(url) {
    const headers = { ...this.headers };
    if (this.cookie) headers.cookie = this.cookie;
    return this.record(url, await request(url, { headers }));
  }

  async intro() {
    return this.get(this.language ? `${this.pageUrl}?lang=${this.language}` : this.pageUrl);
  }

  async start() {
    const intro = await this.intro();
    assert.equal(intro.status, 200, 'the introduction page is shown');
    const url = new URL(formAction(intro.text), this.pageUrl).href;
    const r = this.record(url, await postForm(url, [['_action', 'start'], ['_lang', this.language ?? 'sr-Cyrl']],
                                              { headers: this.headers }));
    const jar = cookiesFrom(r.headers);
    if (jar.nm_draft) this.cookie = `nm_draft=${jar.nm_draft}`;
    this.page = r;
    return r;
  }

  // Posts the current page with the given fields (plus the hidden ones) and the action.
  async post(fields, action = 'next') {
    const html = this.page.text;
    const url = new URL(formAction(html), this.pageUrl).href;
    const hidden = ['_draft', '_page', '_lang'].map((n) => [n, hiddenField(html, n)]);
    const r = this.record(url, await postForm(url, [...hidden, ...fields, ['_action', action]],
                                              { cookie: this.cookie, headers: this.headers }));
    if (r.status === 200 || r.status === 422) this.page = r;
    return r;
  }

  // The fields for those of `answers` that the current page asks.
  fieldsForPage(answers) {
    const names = fieldNames(this.page.text);
    const fields = [];
    for (const [name, value] of Object.entries(answers)) {
      const question = this.index.get(name);
      if (answerIsOnPage(names, question, name)) fields.push(...formFieldsFor(question, name, value));
    }
    return fields;
  }

  // Answers page after page until the server redirects; returns the final (303) response.
  // afterEachPost(response) is called after every post, e.g. to look into the database.
  async finish(answers, { afterEachPost } = {}) {
    for (let step = 0; step < 40; ++step) {
      const before = hiddenField(this.page.text, '_page');
      const fields = this.fieldsForPage(answers);
      const r = await this.post(fields);
      afterEachPost?.(r);
      if (r.status === 303) return r;
      if (r.status === 422) {
        // A follow-up question appeared on the same page: go on only if it can now be answered.
        const summary = r.text.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
        assert.ok(hiddenField(r.text, '_page') === before &&
                  this.fieldsForPage(answers).length > fields.length,
                  `page ${before} was refused: ${summary}`);
        continue;
      }
      assert.equal(r.status, 200, `page ${before} answered with ${r.status}`);
    }
    assert.fail('the questionnaire did not end within 40 posts');
  }
}

// The campaign as the API describes it (status, available, opens_at, …), or undefined if unknown.
export async function campaignState(base, municipality, campaign) {
  const r = await request(apiPaths(base, municipality, campaign).questionnaire);
  return r.status === 200 ? r.json.campaign : undefined;
}

// Waits until the running server sees a change made from the command line (the server may keep
// campaigns in memory for a moment); fails after `timeout` ms.
export async function waitForCampaign(base, municipality, campaign, predicate, timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await campaignState(base, municipality, campaign);
    if (predicate(state ?? {})) return state;
    if (Date.now() > deadline) {
      assert.fail(`the server did not see the change to ${municipality}/${campaign}: ${JSON.stringify(state)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A demo server with the citizens campaign's API paths and questionnaire, for test files that
// share one server: `before(async () => ({ server, paths, questionnaire } = await startDemo()))`.
export async function startDemo(options) {
  const server = await startServer(options);
  const paths = apiPaths(server.url);
  const questionnaire = (await request(paths.questionnaire)).json;
  return { server, paths, questionnaire };
}

// Sends each answer set (completed by validAnswers) through the API of the demo citizens' survey.
export async function submitAll(base, plan) {
  for (const answers of plan) {
    const r = await postJson(apiPaths(base).responses, { submission_id: randomUUID(), answers: validAnswers(answers) });
    assert.equal(r.status, 201, r.text);
  }
}

// 40 respondents of the demo citizens' survey for the plan and the published results: a fifth in
// each age band, half women, 26 in towns and 14 in villages (who answer the village questions).
// Twelve needed home care and did not get it (the first four also the soup kitchen when
// `soupKitchen`), two a day care centre for older people; everyone would develop the soup
// kitchen first, every other one also home care.
export function fortyRespondents({ soupKitchen = false } = {}) {
  const plan = [];
  for (let i = 0; i < 40; ++i) {
    const needs = i < 12 ? ['home_care', ...(soupKitchen && i < 4 ? ['soup_kitchen'] : [])]
      : i < 14 ? ['day_care_older'] : [];
    plan.push({
      age_band: ['18_29', '30_44', '45_64', '65_79', '80_plus'][i % 5],
      sex: i % 2 ? 'female' : 'male',
      settlement: i % 3 ? 'urban' : 'rural',
      ...(i % 3 ? {} : { travel_time: '30_60', public_transport: 'rarely' }),
      unmet_need: needs.length ? 'yes' : 'no',
      ...(needs.length ? { unmet_need_what: needs } : {}),
      top_services: i % 2 ? ['soup_kitchen', 'home_care'] : ['soup_kitchen'],
    });
  }
  return plan;
}
