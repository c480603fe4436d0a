// `needsmap export --format csv`, read back by an RFC 4180 parser written here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';
import { readCsv } from '../lib/csv.mjs';



const markup = '<script>alert("x")</script>, a "quoted" word,\nand a second line';
const formulas = {
  a: { employment_other: "=cmd|' /C calc'!A0", unmet_need_describe: '@SUM(A1:A9)' },
  b: { employment_other: "-1+1|cmd' /C calc'!A0", suggestions: '+SUM(1,2)' },
};

let server;
let dir;
let ids;
let questionnaire;

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
  const paths = apiPaths(server.url);
  questionnaire = (await request(paths.questionnaire)).json;
  const a = validAnswers({
    employment: 'other', ...formulas.a, suggestions: markup, help_source: ['family', 'csr'],
    unmet_need: 'yes', unmet_need_what: ['home_care'],
  });
  const b = validAnswers({
    age_band: '80_plus', employment: 'other', ...formulas.b, risk_factors: ['none'], minority: ['no'],
    services_known: { ...validAnswers().services_known, home_care: 'used' }, services_satisfaction: 'satisfied',
  });
  ids = {};
  for (const [key, answers] of Object.entries({ a, b })) {
    const r = await postJson(paths.responses, { submission_id: uuid(), answers });
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportCsv(name, ...extra) {
  const out = join(dir, name);
  const r = needsmap(['export', '--db', server.database, '--campaign', 'demo/citizens', '--format', 'csv',
                      '--out', out, ...extra]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /exported 2 responses/);
  return readCsv(out);
}

test('the CSV export is UTF-8 with a header of question names and one row per response', () => {
  const { header, records } = exportCsv('plain.csv');
  assert.equal(records.length, 2);
  assert.deepEqual(records.map((r) => r.response_id).sort(), Object.values(ids).sort());
  assert.equal(new Set(header).size, header.length, 'no column twice');
  for (const section of questionnaire.sections) {
    for (const q of section.questions) {
      if (q.type === 'note') continue;
      const expected = q.type === 'multiple' ? q.choices.map((c) => `${q.name}/${c.name}`)
        : q.type === 'matrix' ? q.rows.map((r) => `${q.name}/${r.name}`)
        : q.type === 'ranking' ? Array.from({ length: q.max_rank }, (_, i) => `${q.name}/${i + 1}`)
        : [q.name];
      for (const column of expected) assert.ok(header.includes(column), `column ${column}`);
    }
  }
  const a = records.find((r) => r.response_id === ids.a);
  assert.equal(a.age_band, '45_64');
  assert.equal(a.household_size, '4');
  assert.equal(a['services_known/home_care'], 'dont_know');
  assert.equal(a['top_services/1'], 'home_care');
  assert.equal(a['top_services/2'], 'soup_kitchen');
  assert.equal(a['top_services/3'], '');
  assert.match(a.submitted_on, /^\d{4}-\d{2}-\d{2}$/);
});

test('a multiple choice is exported as one 0/1 column per option named question/option', () => {
  const { header, records } = exportCsv('multiple.csv');
  assert.ok(!header.includes('help_source'), 'no single column for a multiple choice');
  const help = questionnaire.sections.flatMap((s) => s.questions).find((q) => q.name === 'help_source');
  const a = records.find((r) => r.response_id === ids.a);
  const b = records.find((r) => r.response_id === ids.b);
  for (const choice of help.choices) {
    assert.equal(a[`help_source/${choice.name}`], ['family', 'csr'].includes(choice.name) ? '1' : '0', choice.name);
    assert.equal(b[`help_source/${choice.name}`], choice.name === 'family' ? '1' : '0', choice.name);
  }
  assert.equal(b['risk_factors/none'], '1');
  assert.equal(b['risk_factors/poverty'], '0');
  assert.equal(b['minority/no'], '1');
  assert.equal(b['minority/roma'], '0');
});

test('--labels exports choices as their Cyrillic labels, and --language as the labels of another language', () => {
  const { header, records } = exportCsv('labels.csv', '--labels');
  assert.ok(header.includes('age_band'), 'the header keeps the question names');
  const a = records.find((r) => r.response_id === ids.a);
  const b = records.find((r) => r.response_id === ids.b);
  assert.equal(a.age_band, '45–64 године');
  assert.equal(b.age_band, '80 и више година');
  assert.equal(a.sex, 'Женски');
  assert.equal(a['services_known/home_care'], 'Не знам за ову услугу');
  assert.equal(b['services_known/home_care'], 'Користили смо је');
  assert.match(a['top_services/1'], /^Помоћ у кући/);
  assert.equal(a['help_source/family'], '1', 'a multiple choice stays 0/1');
  assert.equal(a.household_size, '4');

  const english = exportCsv('labels-en.csv', '--labels', '--language', 'en').records.find((r) => r.response_id === ids.a);
  assert.equal(english.sex, 'Female');
});

test('text with markup, quotes, commas and line breaks survives the export exactly', () => {
  for (const file of ['text.csv', 'text-labels.csv']) {
    const { records } = exportCsv(file, ...(file.includes('labels') ? ['--labels'] : []));
    const a = records.find((r) => r.response_id === ids.a);
    assert.equal(a.suggestions, markup, file);
  }
});

function assertNeutralised(row, column, typed) {
  const cell = row[column];
  assert.ok(!/^[=+\-@\t\r]/.test(cell), `${column} = ${JSON.stringify(cell)} would be run as a formula`);
  assert.ok(cell.endsWith(typed), `${column}: what was typed survives: ${JSON.stringify(cell)}`);
  assert.ok(cell.length <= typed.length + 1, `${column}: at most one neutralising character is added`);
}

test('text starting with =, + or @ is kept as text in the export, its characters intact', () => {
  const { records } = exportCsv('formulas.csv');
  const a = records.find((r) => r.response_id === ids.a);
  const b = records.find((r) => r.response_id === ids.b);
  assertNeutralised(a, 'employment_other', formulas.a.employment_other);
  assertNeutralised(a, 'unmet_need_describe', formulas.a.unmet_need_describe);
  assertNeutralised(b, 'suggestions', formulas.b.suggestions);
});

test('text starting with a minus and a digit that continues as a formula is kept as text in the export', () => {
  const { records } = exportCsv('minus.csv');
  const b = records.find((r) => r.response_id === ids.b);
  assertNeutralised(b, 'employment_other', formulas.b.employment_other);
});

test('exporting a campaign that does not exist fails with a message', () => {
  const r = needsmap(['export', '--db', server.database, '--campaign', 'demo/nothing', '--format', 'csv',
                      '--out', join(dir, 'none.csv')]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no campaign demo\/nothing/);
});
