// XLSForm in and out on the command line: a form written by another spreadsheet library
// (openpyxl) with Cyrillic labels imports, runs as a campaign, exports back to XLSForm and
// imports again unchanged; broken files are refused with their sheet and row and store nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request, postJson } from '../lib/http.mjs';
import { freshDatabase, dropDatabase, countRows } from '../lib/database.mjs';

// Runs a Python script with Debian's python3 (which has openpyxl) and returns its output.
function python(script, ...args) {
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// An XLSForm of our own, as Excel would save it: shared strings, a boolean, a number, a date.
const writeForm = `
import sys, datetime, openpyxl
book = openpyxl.Workbook()
survey = book.active
survey.title = "survey"
rows = [
  ["type", "name", "label::Српски (sr)", "label::English (en)", "required", "relevant", "constraint", "needsmap_max"],
  ["begin_group", "household", "Домаћинство", "Household"],
  ["integer", "members", "Колико чланова има домаћинство?", "How many members?", True, None, ". >= 1 and . <= 20"],
  ["select_one yes_no", "has_child", "Има ли деце?", "Any children?", True],
  ["select_multiple needs", "needs", "Шта вам је потребно?", "What do you need?", None, "\${has_child} = 'yes'"],
  ["date", "last_visit", "Последња посета центру", "Last visit to the centre", None, None, None, datetime.datetime(2030, 12, 31)],
  ["geopoint", "where", "Где живите?", "Where do you live?"],
  ["end_group"],
]
for row in rows: survey.append(row)
choices = book.create_sheet("choices")
for row in [["list_name", "name", "label::Српски (sr)", "label::English (en)"],
            ["yes_no", "yes", "Да", "Yes"], ["yes_no", "no", "Не", "No"],
            ["needs", "food", "Храна", "Food"], ["needs", "care", "Нега", "Care"]]:
  choices.append(row)
settings = book.create_sheet("settings")
settings.append(["form_title", "form_id", "version"])
settings.append(["Мапирање потреба", "mapping", 3])
book.save(sys.argv[1])
`;

// Every sheet of an .xlsx as rows of cell values, read by openpyxl.
const readBook = `
import sys, json, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}, default=str))
`;

test('an XLSForm with Cyrillic labels imports, runs as a campaign and exports back unchanged', async (t) => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'interop.db');
  let server;
  t.after(async () => { await server?.stop(); dropDatabase(db); rmSync(dir, { recursive: true, force: true }); });

  const form = join(dir, 'form.xlsx');
  python(writeForm, form);
  const json = join(dir, 'form.json');
  const imported = needsmap(['questionnaire', 'import', form, '--out', json, '--db', db]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /form\.xlsx: mapping 3, 1 sections, 4 questions, 1 thing\(s\) not imported/);
  assert.match(imported.stdout, /not imported: .*form\.xlsx: survey row 7 \("where"\): type "geopoint" cannot be imported/);
  assert.match(imported.stdout, /stored as questionnaire version (\d+)/);
  const version = imported.stdout.match(/stored as questionnaire version (\d+)/)[1];
  const document = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(document.sections[0].questions.find((q) => q.name === 'last_visit').max, '2030-12-31');

  const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'test', '--municipality-name', 'Тест',
                            '--campaign', 'mapping', '--questionnaire', json]);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(needsmap(['campaign', 'open', '--db', db, '--campaign', 'test/mapping']).status, 0);
  server = await startServer({ demo: false, db });
  const api = `${server.url}/api/v1/campaigns/test/mapping`;
  const served = (await request(`${api}/questionnaire`)).json;
  const members = served.questionnaire?.sections?.[0]?.questions?.[0] ?? served.sections?.[0]?.questions?.[0];
  assert.equal(members.label['sr-Cyrl'], 'Колико чланова има домаћинство?');
  assert.equal(members.label['sr-Latn'], 'Koliko članova ima domaćinstvo?');
  const accepted = await postJson(`${api}/responses`, {
    submission_id: uuid(), answers: { members: 3, has_child: 'yes', needs: ['food'] } });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.json));
  const refused = await postJson(`${api}/responses?lang=en`, {
    submission_id: uuid(), answers: { members: 30, has_child: 'no' } });
  assert.equal(refused.status, 422);

  // Out again and back in: the same questionnaire, so the store finds the same version.
  const back = join(dir, 'back.xlsx');
  const exported = needsmap(['questionnaire', 'export', version, '--db', db, '--format', 'xlsform', '--out', back]);
  assert.equal(exported.status, 0, exported.stderr);
  const sheets = JSON.parse(python(readBook, back));
  assert.deepEqual(Object.keys(sheets), ['survey', 'choices', 'settings']);
  assert.ok(sheets.survey[0].includes('label::Српски (sr-Cyrl)'));
  assert.ok(sheets.survey.some((row) => row.includes('Колико чланова има домаћинство?')));
  const again = needsmap(['questionnaire', 'import', back, '--db', db]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`stored as questionnaire version ${version} `));
  assert.equal(countRows(db, 'questionnaire_versions'), 1);
});

test('the bundled questionnaires export to XLSForm that openpyxl reads', () => {
  const dir = temporaryDirectory();
  try {
    const out = join(dir, 'stakeholders.xlsx');
    const exported = needsmap(['questionnaire', 'export', 'stakeholders', '--format', 'xlsform', '--out', out]);
    assert.equal(exported.status, 0, exported.stderr);
    const sheets = JSON.parse(python(readBook, out));
    const types = sheets.survey.slice(1).map((row) => row[0]);
    assert.ok(types.includes('begin_group'));
    assert.ok(types.some((t) => t?.startsWith('rank ')));
    assert.ok(sheets.settings[1].includes('stakeholders'));
    const reimported = needsmap(['questionnaire', 'import', out]);
    assert.equal(reimported.status, 0, reimported.stderr);
    assert.doesNotMatch(reimported.stdout, /not imported:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('broken XLSForm files are refused with their sheet and row, and nothing is stored', () => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'broken.db');
  try {
    assert.equal(needsmap(['migrate', '--db', db]).status, 0);
    const notZip = join(dir, 'form.xlsx');
    writeFileSync(notZip, 'type,name,label\n');
    const refused = needsmap(['questionnaire', 'import', notZip, '--db', db]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not a zip archive/);

    const badExpression = join(dir, 'bad.csv');
    writeFileSync(badExpression, [
      'survey,,,', ',type,name,label,relevant', ',integer,age,Године,', ',text,why,Зашто?,${agee} > 3',
      'settings,,', ',form_id,version', ',bad,1', ''].join('\n'));
    const bad = needsmap(['questionnaire', 'import', badExpression, '--db', db]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.csv: survey row 3, column relevant \("why"\): unknown question \$\{agee\} at 1/);

    const noSurvey = join(dir, 'nosurvey.csv');
    writeFileSync(noSurvey, 'questions,,\n,type,name\n,text,a\n');
    const missing = needsmap(['questionnaire', 'import', noSurvey]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no sheet named "survey"/);

    // A sheet of 100,000 rows is no questionnaire: refused before anything else is read.
    const huge = join(dir, 'huge.xlsx');
    python(`
import sys, openpyxl
book = openpyxl.Workbook(write_only=True)
survey = book.create_sheet("survey")
survey.append(["type", "name", "label"])
for i in range(100000): survey.append(["text", "q%d" % i, "Питање"])
book.save(sys.argv[1])
`, huge);
    const tooLong = needsmap(['questionnaire', 'import', huge, '--db', db]);
    assert.equal(tooLong.status, 1);
    assert.match(tooLong.stderr, /huge\.xlsx: sheet "survey" has more than 20000 rows/);
    assert.equal(countRows(db, 'questionnaire_versions'), 0);
  } finally {
    dropDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a LimeSurvey survey structure (.lss) imports with a report of what was skipped', () => {
  const dir = temporaryDirectory();
  try {
    const lss = join(dir, 'survey.lss');
    writeFileSync(lss, `<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>624</DBVersion>
 <languages><language>sr</language><language>en</language></languages>
 <groups><rows><row><gid>1</gid><sid>55</sid><group_order>1</group_order><grelevance>1</grelevance></row></rows></groups>
 <group_l10ns><rows>
  <row><gid>1</gid><group_name>Рад</group_name><description/><language>sr</language></row>
  <row><gid>1</gid><group_name>Work</group_name><description/><language>en</language></row>
 </rows></group_l10ns>
 <questions><rows>
  <row><qid>1</qid><parent_qid>0</parent_qid><sid>55</sid><gid>1</gid><type>Y</type><title>Works</title><other>N</other><mandatory>Y</mandatory><question_order>1</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
  <row><qid>2</qid><parent_qid>0</parent_qid><sid>55</sid><gid>1</gid><type>S</type><title>Job</title><other>N</other><mandatory>N</mandatory><question_order>2</question_order><scale_id>0</scale_id><relevance>Works == "Y"</relevance></row>
  <row><qid>3</qid><parent_qid>0</parent_qid><sid>55</sid><gid>1</gid><type>|</type><title>Cv</title><other>N</other><mandatory>N</mandatory><question_order>3</question_order><scale_id>0</scale_id><relevance>1</relevance></row>
 </rows></questions>
 <question_l10ns><rows>
  <row><qid>1</qid><question>Да ли радите?</question><help/><language>sr</language></row>
  <row><qid>1</qid><question>Do you work?</question><help/><language>en</language></row>
  <row><qid>2</qid><question>Који посао?</question><help/><language>sr</language></row>
  <row><qid>3</qid><question>Пошаљите CV</question><help/><language>sr</language></row>
 </rows></question_l10ns>
 <surveys_languagesettings><rows>
  <row><surveyls_language>sr</surveyls_language><surveyls_title>Запошљавање</surveyls_title></row>
 </rows></surveys_languagesettings>
</document>`);
    const out = join(dir, 'survey.json');
    const imported = needsmap(['questionnaire', 'import', lss, '--out', out]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /survey\.lss: limesurvey_55 1, 1 sections, 2 questions, 1 thing\(s\) not imported/);
    assert.match(imported.stdout, /not imported: .*survey\.lss: question \("Cv"\): question type file upload \(\|\) cannot be imported/);
    const document = JSON.parse(readFileSync(out, 'utf8'));
    const job = document.sections[0].questions.find((q) => q.name === 'job');
    assert.equal(job.relevant, "${works} = 'y'");
    const checked = needsmap(['questionnaire', 'check', out]);
    assert.equal(checked.status, 0, checked.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
