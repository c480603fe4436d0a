// `needsmap import responses`: answers typed into a spreadsheet are checked row by row as
// submissions; rejected rows are reported with their reasons; nothing is stored unless every row
// is valid or --skip-invalid is given; the stored responses are marked mode 'import'; importing
// the same file again stores nothing twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { needsmap, temporaryDirectory } from '../lib/server.mjs';
import { freshDatabase, dropDatabase, countRows, query } from '../lib/database.mjs';

// A small questionnaire of our own, as an XLSForm in one CSV file.
const form = [
  'survey,,,,,,',
  ',type,name,label,label::English (en),required,relevant,constraint',
  ',integer,members,Колико чланова?,How many members?,yes,,. >= 1 and . <= 20',
  ',select_one yes_no,has_child,Има ли деце?,Any children?,yes,,',
  ",select_multiple needs,needs,Шта је потребно?,What is needed?,,${has_child} = 'yes',",
  ',date,visit,Датум посете,Date of the visit,,,',
  'choices,,,',
  ',list_name,name,label,label::English (en)',
  ',yes_no,yes,Да,Yes', ',yes_no,no,Не,No',
  ',needs,food,Храна,Food', ',needs,care,Нега,Care',
  'settings,,',
  ',form_title,form_id,version',
  ',Папирни упитник,paper,1',
  ''].join('\n');

function setUp(dir, db) {
  writeFileSync(join(dir, 'form.csv'), form);
  const imported = needsmap(['questionnaire', 'import', join(dir, 'form.csv'), '--out', join(dir, 'form.json')]);
  assert.equal(imported.status, 0, imported.stderr);
  const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'test', '--municipality-name', 'Тест',
                            '--campaign', 'paper', '--questionnaire', join(dir, 'form.json')]);
  assert.equal(created.status, 0, created.stderr);
}

const importedAnswers = (db) =>
  query(db, "SELECT answers FROM responses WHERE mode = 'import'", { json: true }).map((r) => JSON.parse(r.answers));

test('typed-in paper answers import with a report of the rows refused, all or nothing unless --skip-invalid', () => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'paper.db');
  try {
    setUp(dir, db);
    const answers = join(dir, 'answers.csv');
    // Semicolons and a decimal comma, as Excel saves CSV in Serbia; a choice by its label; a
    // multiple choice as question/option 0/1 columns; a column that is no question.
    writeFileSync(answers, [
      'members;has_child;needs/food;needs/care;visit;remark',
      '3;yes;1;0;15.11.2025;first form',
      '2;Да;1;1;;',
      '30;no;;;;',
      'abc;no;;;;',
      '1;maybe;;;;',
      ''].join('\r\n'));
    const args = ['import', 'responses', '--db', db, '--campaign', 'test/paper', '--csv', answers];

    const refused = needsmap(args);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /answers\.csv: row 1, column remark: not a question of paper 1: the column is ignored/);
    assert.match(refused.stdout, /answers\.csv: 5 rows, 3 rejected, 0 stored/);
    assert.match(refused.stderr, /answers\.csv: row 4: members: Check the answer/);
    assert.match(refused.stderr, /answers\.csv: row 5: members: Enter a number, for example 12/);
    assert.match(refused.stderr, /answers\.csv: row 6: has_child: “maybe” is not one of the choices/);
    assert.match(refused.stderr, /nothing stored/);
    assert.equal(countRows(db, 'responses'), 0);

    const inSerbian = needsmap([...args, '--language', 'sr-Cyrl']);
    assert.match(inSerbian.stderr, /row 5: members: Упишите број, на пример 12/);

    const skipped = needsmap([...args, '--skip-invalid']);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.match(skipped.stdout, /5 rows, 3 rejected, 2 stored, 0 already stored before/);
    assert.equal(countRows(db, 'responses', "WHERE mode = 'import'"), 2);
    const stored = importedAnswers(db).sort((a, b) => a.members - b.members);
    assert.deepEqual(stored, [
      { members: 2, has_child: 'yes', needs: ['food', 'care'] },
      { members: 3, has_child: 'yes', needs: ['food'], visit: '2025-11-15' }]);

    const again = needsmap([...args, '--skip-invalid']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /0 stored, 2 already stored before/);
    assert.equal(countRows(db, 'responses'), 2);

    // needsmap's own CSV export, with codes or with labels, imports back as the same answers.
    for (const [slug, labels] of [['copy', []], ['copy-labels', ['--labels']]]) {
      const exported = join(dir, `${slug}.csv`);
      const wrote = needsmap(['export', '--db', db, '--campaign', 'test/paper', '--format', 'csv', ...labels, '--out', exported]);
      assert.equal(wrote.status, 0, wrote.stderr);
      const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'test', '--campaign', slug,
                                '--questionnaire', join(dir, 'form.json')]);
      assert.equal(created.status, 0, created.stderr);
      const back = needsmap(['import', 'responses', '--db', db, '--campaign', `test/${slug}`, '--csv', exported]);
      assert.equal(back.status, 0, back.stderr + back.stdout);
      assert.match(back.stdout, /2 rows, 0 rejected, 2 stored/);
    }
    assert.equal(countRows(db, 'responses', "WHERE mode = 'import'"), 6);
    const all = importedAnswers(db).map((a) => JSON.stringify(a)).sort();
    assert.deepEqual(all, [...stored, ...stored, ...stored].map((a) => JSON.stringify(a)).sort());
  } finally {
    dropDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('answers in an .xlsx file import, a multiple choice written as space-separated names', () => {
  const dir = temporaryDirectory();
  const db = freshDatabase(dir, 'paper-xlsx.db');
  try {
    setUp(dir, db);
    const book = join(dir, 'answers.xlsx');
    const script = `
import sys, datetime, openpyxl
book = openpyxl.Workbook()
sheet = book.active
sheet.append(["members", "has_child", "needs", "visit"])
sheet.append([4, "yes", "care food", datetime.datetime(2025, 12, 1)])
sheet.append([1, "no", None, None])
book.save(sys.argv[1])
`;
    const written = spawnSync('/usr/bin/python3', ['-c', script, book], { encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    const imported = needsmap(['import', 'responses', '--db', db, '--campaign', 'test/paper', '--xlsx', book]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /2 rows, 0 rejected, 2 stored/);
    const stored = importedAnswers(db).sort((a, b) => a.members - b.members);
    assert.deepEqual(stored, [
      { members: 1, has_child: 'no' },
      { members: 4, has_child: 'yes', needs: ['care', 'food'], visit: '2025-12-01' }]);
  } finally {
    dropDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
