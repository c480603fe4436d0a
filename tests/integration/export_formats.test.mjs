// `needsmap export --format xlsx|sav|codebook-html|codebook-csv`, each file read back by a real
// reader (openpyxl for XLSX, ReadStat's readstat and extract_metadata for SPSS, an HTML table and
// an RFC 4180 parser for the codebook) and compared with the answers as the database holds them.
// Runs on SQLite, and on PostgreSQL when NEEDSMAP_TEST_POSTGRES is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request, postJson, unescapeHtml } from '../lib/http.mjs';
import { validAnswers, apiPaths, waitForCampaign } from '../lib/citizens.mjs';
import { readCsv } from '../lib/csv.mjs';
import { expectedColumns, label, questionsOf, readSav, readXlsx, spssDate, storedAnswers } from '../lib/exports.mjs';

const rtl = '\u200fשלום\u200f';
const markup = '<script>alert("x")</script>, a "quoted" word,\nand a second line';
const cyrillic = 'Ђорђе из Ниша, ул. Краља Милана 5 — «помоћ у кући»';
const formula = "=cmd|' /C calc'!A0";

// A questionnaire made to trip the exports: markup, quotes, right-to-left marks and very long
// texts in its labels; a question named after an SPSS reserved word; a multiple choice with an
// "other" option whose derived SPSS name meets the implicit text question's.
const longLabel = 'Ж'.repeat(200);   // 400 bytes: more than an SPSS variable label holds
const longChoice = 'Љ'.repeat(100);  // 200 bytes: more than an SPSS value label holds
const tricky = {
  format: 'needsmap-questionnaire/1',
  name: 'tricky',
  version: '1',
  title: { 'sr-Cyrl': 'Проба <script>alert(1)</script> & "наводници"', en: 'Test <b>&</b>' },
  languages: ['sr-Cyrl', 'sr-Latn', 'en'],
  sections: [{
    name: 'only',
    title: { 'sr-Cyrl': 'Страна <i>1</i> & "друга"', en: 'Page <i>1</i>' },
    questions: [
      { name: 'to', type: 'single', label: { 'sr-Cyrl': `Питање ${rtl} <em>то</em>`, en: 'Reserved <em>word</em>' },
        choices: [{ name: 'a', label: { 'sr-Cyrl': `Први ${rtl}`, en: 'First' } },
                  { name: 'b', label: { 'sr-Cyrl': longChoice, en: 'Second' } }] },
      { name: 'help', type: 'multiple', label: { 'sr-Cyrl': longLabel, en: 'Who helps?' },
        choices: [{ name: 'family', label: { 'sr-Cyrl': 'Породица', en: 'Family' } },
                  { name: 'other', label: { 'sr-Cyrl': 'Друго "x"', en: 'Other' }, other: true }] },
      { name: 'amount', type: 'decimal', label: { 'sr-Cyrl': 'Износ' } },
      { name: 'born', type: 'year', label: { 'sr-Cyrl': 'Година рођења' }, min: 1900, max: 2025 },
      { name: 'visited', type: 'date', label: { 'sr-Cyrl': 'Датум посете' } },
      { name: 'rating', type: 'scale', label: { 'sr-Cyrl': 'Оцена' },
        choices: [1, 2, 3, 4, 5].map((n) => ({ name: `r${n}`, label: { 'sr-Cyrl': `${n} од 5` } })) },
      { name: 'story', type: 'long_text', label: { 'sr-Cyrl': 'Прича' } },
    ],
  }],
};
const trickyAnswers = {
  a: { to: 'a', help: ['family', 'other'], help_other: formula, amount: 1234.5, born: 1950,
       visited: '2025-03-01', rating: 'r5', story: `${markup}\n${cyrillic}\n${rtl}` },
  b: { to: 'b', help: ['family'], amount: -0.25, story: '@SUM(A1:A9)' },
  c: { born: 2001 },
};

let server;
let dir;
const ids = { citizens: {}, tricky: {} };
let citizens;  // the citizens questionnaire as the API gives it

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
  const paths = apiPaths(server.url);
  citizens = (await request(paths.questionnaire)).json;
  const answers = {
    a: validAnswers({ employment: 'other', employment_other: formula, suggestions: markup,
                      unmet_need: 'yes', unmet_need_what: ['home_care'], unmet_need_describe: `${cyrillic}\n${rtl}`,
                      help_source: ['family', 'csr'] }),
    b: validAnswers({ age_band: '80_plus', risk_factors: ['none'], minority: ['no'], suggestions: '+SUM(1,2)',
                      services_known: { ...validAnswers().services_known, home_care: 'used' },
                      services_satisfaction: 'satisfied' }),
  };
  for (const [key, value] of Object.entries(answers)) {
    const r = await postJson(paths.responses, { submission_id: uuid(), answers: value });
    assert.equal(r.status, 201, r.text);
    ids.citizens[key] = r.json.id;
  }

  const file = join(dir, 'tricky.json');
  writeFileSync(file, JSON.stringify(tricky));
  for (const args of [
    ['campaign', 'create', '--db', server.database, '--municipality', 'demo', '--campaign', 'tricky', '--questionnaire', file],
    ['campaign', 'open', '--db', server.database, '--campaign', 'demo/tricky'],
  ]) {
    const r = needsmap(args);
    assert.equal(r.status, 0, r.stderr);
  }
  await waitForCampaign(server.url, 'demo', 'tricky', (c) => c.status === 'open');
  const trickyPaths = apiPaths(server.url, 'demo', 'tricky');
  for (const [key, value] of Object.entries(trickyAnswers)) {
    const r = await postJson(trickyPaths.responses, { submission_id: uuid(), answers: value });
    assert.equal(r.status, 201, r.text);
    ids.tricky[key] = r.json.id;
  }
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportFile(campaign, format, extension, ...extra) {
  const out = join(dir, `${campaign}-${format}-${extra.join('')}.${extension}`);
  const r = needsmap(['export', '--db', server.database, '--campaign', `demo/${campaign}`, '--format', format,
                      '--out', out, ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return { out, stdout: r.stdout };
}

test('the XLSX export holds the CSV columns with numbers as numbers, dates as dates and text as text, never a formula', () => {
  const { out, stdout } = exportFile('citizens', 'xlsx', 'xlsx');
  assert.match(stdout, /exported 2 responses/);
  const book = readXlsx(out);
  assert.deepEqual(book.sheet_names, ['responses', 'codebook']);
  assert.equal(book.formulas, 0, 'no cell is a formula');
  const [header, ...rows] = book.sheets.responses;
  const columns = expectedColumns(citizens);
  assert.deepEqual(header.map((c) => c.v), columns.map((c) => c.name));
  const csv = readCsv(exportFile('citizens', 'csv', 'csv').out);
  assert.deepEqual(header.map((c) => c.v), csv.header, 'the same columns as the CSV');

  const stored = storedAnswers(server.database, 'citizens');
  assert.equal(rows.length, stored.size);
  for (const row of rows) {
    const response = stored.get(row[0].v);
    assert.ok(response, `row of ${row[0].v}`);
    columns.forEach((column, i) => {
      const cell = row[i] ?? { v: null, t: 'n' };
      const expected = column.get(response);
      const where = `${column.name} of ${response.id}`;
      if (expected === undefined) {
        assert.equal(cell.v, null, where);
      } else if (column.kind === 'number' || column.kind === 'selected') {
        assert.equal(cell.t, 'n', where);
        assert.equal(cell.v, expected, where);
      } else if (column.kind === 'calculated') {
        assert.equal(cell.t, 'n', where);
        assert.equal(cell.v, Number(expected), where);
      } else if (column.kind === 'date') {
        assert.equal(cell.t, 'd', where);
        assert.equal(cell.f, 'yyyy-mm-dd', where);
        assert.equal(cell.v, expected, where);
      } else {
        assert.equal(cell.t, 's', where);
        assert.equal(cell.v, expected, where);
      }
    });
  }
  const a = rows.find((r) => r[0].v === ids.citizens.a);
  const b = rows.find((r) => r[0].v === ids.citizens.b);
  const at = (row, name) => row[header.findIndex((c) => c.v === name)].v;
  assert.equal(at(a, 'employment_other'), formula, 'a formula-like answer is kept exactly, as text');
  assert.equal(at(a, 'suggestions'), markup);
  assert.equal(at(a, 'unmet_need_describe'), `${cyrillic}\n${rtl}`);
  assert.equal(at(b, 'suggestions'), '+SUM(1,2)');
  assert.equal(at(a, 'help_source/csr'), 1);
  assert.equal(at(b, 'help_source/csr'), 0);
});

test('the XLSX export with --labels holds choice labels in the chosen language, and a codebook sheet like the codebook CSV', () => {
  const book = readXlsx(exportFile('citizens', 'xlsx', 'xlsx', '--labels', '--language', 'en').out);
  const [header, ...rows] = book.sheets.responses;
  const a = rows.find((r) => r[0].v === ids.citizens.a);
  const at = (name) => a[header.findIndex((c) => c.v === name)].v;
  const sex = questionsOf(citizens).find((q) => q.name === 'sex');
  assert.equal(at('sex'), label(sex.choices.find((c) => c.name === 'female').label, 'en'));
  assert.equal(at('help_source/family'), 1, 'a multiple choice stays 0/1');

  const codebook = readCsv(exportFile('citizens', 'codebook-csv', 'csv', '--language', 'en').out);
  const sheet = book.sheets.codebook.map((row) => row.map((c) => c.v ?? ''));
  assert.deepEqual(sheet[0], codebook.header);
  assert.deepEqual(sheet.slice(1).map((r) => r.concat(Array(codebook.header.length - r.length).fill(''))),
                   codebook.records.map((r) => codebook.header.map((h) => r[h])));
});

test('the SPSS file holds every response with codes, 0/1 options, numbers, SPSS dates and text, and system-missing for what was not answered', () => {
  const { out } = exportFile('citizens', 'sav', 'sav');
  const sav = readSav(out);
  assert.match(sav.summary, /Rows: 2\b/);
  assert.match(sav.summary, /Text encoding: UTF-8/);
  const columns = expectedColumns(citizens);
  const codebook = readCsv(exportFile('citizens', 'codebook-csv', 'csv').out).records;
  const spssName = new Map(codebook.map((r) => [r.variable, r.spss_variable]));
  assert.deepEqual(sav.header, columns.map((c) => spssName.get(c.name)), 'one variable per column, as the codebook names it');
  assert.equal(spssName.get('help_source/family'), 'help_source_family');
  assert.equal(spssName.get('top_services/1'), 'top_services_1');

  const stored = storedAnswers(server.database, 'citizens');
  assert.equal(sav.records.length, stored.size);
  for (const record of sav.records) {
    const response = stored.get(record.response_id);
    assert.ok(response, `case ${record.response_id}`);
    for (const column of columns) {
      const value = record[spssName.get(column.name)];
      const expected = column.get(response);
      const where = `${column.name} of ${response.id}`;
      if (column.kind === 'text') {
        assert.equal(value, expected ?? '', where);
      } else if (expected === undefined) {
        assert.equal(value, '', `${where} is system-missing`);
      } else if (column.kind === 'choice') {
        const code = column.question.choices.findIndex((c) => c.name === expected) + 1;
        assert.ok(code > 0, where);
        assert.equal(Number(value), code, where);
      } else if (column.kind === 'date') {
        assert.equal(Number(value), spssDate(expected), where);
      } else {
        assert.equal(Number(value), Number(expected), where);
      }
    }
  }
  const a = sav.records.find((r) => r.response_id === ids.citizens.a);
  assert.equal(a.employment_other, formula);
  assert.equal(a.suggestions, markup);
  assert.equal(a.unmet_need_describe, `${cyrillic}\n${rtl}`);
});

test('the SPSS file labels every variable with its question and every code with its choice, in the chosen language', () => {
  for (const language of ['sr-Cyrl', 'en']) {
    const sav = readSav(exportFile('citizens', 'sav', 'sav', '--language', language).out);
    const variable = (name) => sav.variables.find((v) => v.name === name);
    const byName = new Map(questionsOf(citizens).map((q) => [q.name, q]));

    const age = byName.get('age_band');
    assert.equal(variable('age_band').label, label(age.label, language));
    assert.deepEqual(variable('age_band').categories,
                     age.choices.map((c, i) => ({ code: i + 1, label: label(c.label, language) })));
    const help = byName.get('help_source');
    const family = help.choices.find((c) => c.name === 'family');
    assert.equal(variable('help_source_family').label, `${label(help.label, language)} — ${label(family.label, language)}`);
    assert.deepEqual(variable('help_source_family').categories,
                     [{ code: 0, label: 'not selected' }, { code: 1, label: 'selected' }]);
    const services = byName.get('services_known');
    assert.deepEqual(variable('services_known_home_care').categories.map((c) => c.label),
                     services.choices.map((c) => label(c.label, language)), 'a matrix row has its choices as labels');
    assert.equal(variable('household_size').type, 'NUMERIC');
    assert.equal(variable('submitted_on').format, 'DATE');
    assert.equal(variable('suggestions').type, 'STRING');
  }
});

test('SPSS names are valid and distinct, and labels longer than SPSS holds are cut on a character boundary', () => {
  const sav = readSav(exportFile('tricky', 'sav', 'sav').out);
  const names = sav.variables.map((v) => v.name);
  const reserved = new Set(['ALL', 'AND', 'BY', 'EQ', 'GE', 'GT', 'LE', 'LT', 'NE', 'NOT', 'OR', 'TO', 'WITH']);
  for (const name of names) {
    assert.match(name, /^[A-Za-z][A-Za-z0-9_]{0,63}$/, name);
    assert.ok(!reserved.has(name.toUpperCase()), name);
  }
  assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length, 'no name twice');
  assert.deepEqual(names.slice(4), ['to_', 'help_family', 'help_other_2', 'help_other', 'amount', 'born', 'visited',
                                    'rating', 'story']);

  const variable = (name) => sav.variables.find((v) => v.name === name);
  assert.equal(variable('to_').label, `Питање ${rtl} <em>то</em>`);
  assert.equal(variable('to_').categories[0].label, `Први ${rtl}`);
  assert.equal(variable('to_').categories[1].label, 'Љ'.repeat(60), 'a value label is cut to 120 bytes');
  assert.equal(variable('help_family').label, 'Ж'.repeat(128), 'a variable label is cut to 256 bytes');
  assert.equal(variable('help_other').label, `${'Ж'.repeat(200)} — Друго "x"`.slice(0, 128));
  assert.equal(variable('rating').categories.length, 5);

  const stored = storedAnswers(server.database, 'tricky');
  const a = sav.records.find((r) => r.response_id === ids.tricky.a);
  const b = sav.records.find((r) => r.response_id === ids.tricky.b);
  const c = sav.records.find((r) => r.response_id === ids.tricky.c);
  assert.equal(a.story, stored.get(ids.tricky.a).answers.story);
  assert.equal(a.help_other, formula);
  assert.equal(Number(a.help_other_2), 1);
  assert.equal(Number(a.amount), 1234.5);
  assert.equal(Number(b.amount), -0.25);
  assert.equal(Number(a.visited), spssDate('2025-03-01'));
  assert.equal(Number(a.rating), 5);
  assert.equal(Number(b.to_), 2);
  assert.equal(b.story, '@SUM(A1:A9)');
  assert.equal(c.to_, '', 'unanswered: system-missing');
  assert.equal(c.help_family, '');
  assert.equal(c.story, '');
  assert.equal(Number(c.born), 2001);
});

test('the XLSX export of the tricky campaign keeps markup, right-to-left marks and formula-like text as plain text', () => {
  const book = readXlsx(exportFile('tricky', 'xlsx', 'xlsx').out);
  assert.equal(book.formulas, 0);
  const [header, ...rows] = book.sheets.responses;
  const a = rows.find((r) => r[0].v === ids.tricky.a);
  const at = (name) => a[header.findIndex((c) => c.v === name)];
  assert.deepEqual(at('help_other'), { v: formula, t: 's', f: 'General' });
  assert.equal(at('story').v, `${markup}\n${cyrillic}\n${rtl}`);
  assert.equal(at('amount').v, 1234.5);
  assert.equal(at('born').v, 1950);
  assert.equal(at('visited').v, '2025-03-01');
});

// The rows of the codebook page's table: [variable, SPSS name, label, type, [values], section].
function codebookTable(html) {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)[1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => {
    const cells = [...row.matchAll(/<t([hd])([^>]*)>([\s\S]*?)<\/t\1>/g)].map(([, kind, attributes, content]) =>
      ({ kind, attributes, content }));
    const text = (c) => unescapeHtml(c.content.replace(/<[^>]*>/g, ''));
    const values = [...cells[4].content.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, li]) => unescapeHtml(li.replace(/<[^>]*>/g, '')));
    return { header: cells[0], variable: text(cells[0]), spss: text(cells[1]), label: text(cells[2]),
             labelAttributes: cells[2].attributes, type: text(cells[3]), values, section: text(cells[5]) };
  });
}

test('the codebook page is a standalone, accessible table of every variable, its labels and values, all text escaped', () => {
  const { out, stdout } = exportFile('tricky', 'codebook-html', 'html');
  assert.match(stdout, /wrote the codebook of demo\/tricky/);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<meta charset="utf-8">/);
  assert.doesNotMatch(html, /<script|<link|<img|src=/i, 'standalone, and no markup from the questionnaire');
  assert.match(html, /<table>\n<caption id="variables">[^<]+<\/caption>/);
  assert.equal([...html.matchAll(/<th scope="col">/g)].length, 6);
  assert.match(html, /<h1>Codebook: <span lang="sr-Cyrl">Проба &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;наводници&quot;<\/span><\/h1>/);

  const rows = codebookTable(html);
  const codebook = readCsv(exportFile('tricky', 'codebook-csv', 'csv').out);
  const variables = [...new Set(codebook.records.map((r) => r.variable))];
  assert.deepEqual(rows.map((r) => r.variable), variables, 'every variable in file order');
  for (const row of rows) {
    assert.match(row.header.attributes, / scope="row"/);
    const records = codebook.records.filter((r) => r.variable === row.variable);
    assert.equal(row.spss, records[0].spss_variable);
    assert.equal(row.label, records[0].label);
    assert.equal(row.type, records[0].type);
    assert.equal(row.section, records[0].section_title);
    assert.deepEqual(row.values, records.filter((r) => r.value !== '').map((r) => `${r.value}, ${r.spss_value}: ${r.value_label}`));
  }
  const to = rows.find((r) => r.variable === 'to');
  assert.equal(to.label, `Питање ${rtl} <em>то</em>`);
  assert.match(to.labelAttributes, /lang="sr-Cyrl"/);
  assert.equal(to.section, 'Страна <i>1</i> & "друга"');
  assert.deepEqual(to.values, [`a, 1: Први ${rtl}`, `b, 2: ${longChoice}`], 'the codebook keeps labels whole');
});

test('the codebook CSV lists every column of the exports with its SPSS name, label, type, section and values', () => {
  const { header, records } = readCsv(exportFile('citizens', 'codebook-csv', 'csv').out);
  assert.deepEqual(header, ['variable', 'spss_variable', 'section', 'section_title', 'type', 'label', 'value',
                            'spss_value', 'value_label']);
  const columns = expectedColumns(citizens);
  assert.deepEqual([...new Set(records.map((r) => r.variable))], columns.map((c) => c.name));
  for (const question of questionsOf(citizens)) {
    if (question.type !== 'single' && question.type !== 'scale') continue;
    const rows = records.filter((r) => r.variable === question.name);
    const section = citizens.sections.find((s) => s.questions.includes(question));
    assert.deepEqual(rows.map((r) => [r.value, r.spss_value, r.value_label]),
                     question.choices.map((c, i) => [c.name, String(i + 1), label(c.label)]), question.name);
    for (const r of rows) {
      assert.equal(r.label, label(question.label));
      assert.equal(r.type, question.type);
      assert.equal(r.section, section.name);
      assert.equal(r.section_title, label(section.title));
    }
  }
  const english = readCsv(exportFile('citizens', 'codebook-csv', 'csv', '--language', 'en').out).records;
  const sex = questionsOf(citizens).find((q) => q.name === 'sex');
  assert.equal(english.find((r) => r.variable === 'sex').label, label(sex.label, 'en'));
});

test('an export that cannot be made fails with a message and leaves no file', () => {
  for (const [args, message] of [
    [['--campaign', 'demo/nothing', '--format', 'sav'], /no campaign demo\/nothing/],
    [['--campaign', 'demo/citizens', '--format', 'xlsx', '--language', 'de'], /no language de/],
    [['--campaign', 'demo/citizens', '--format', 'pdf'], /pdf/],
  ]) {
    const out = join(dir, 'failed.out');
    const r = needsmap(['export', '--db', server.database, '--out', out, ...args]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, message);
    assert.throws(() => readFileSync(out), /ENOENT/);
  }
});
