// Reading exports back with real readers (openpyxl for XLSX, ReadStat for SPSS) and deriving
// from the questionnaire what each column of an export must hold, for the export tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readCsv } from './csv.mjs';
import { query } from './database.mjs';

export function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The answers of a campaign as the database holds them, by response id.
export function storedAnswers(database, campaign) {
  const rows = query(database,
    `SELECT r.id, r.submitted_on, r.mode, r.language, r.answers FROM responses r JOIN campaigns c ON c.id = r.campaign_id
      WHERE c.slug = '${campaign}'`, { json: true });
  return new Map(rows.map((r) => [r.id, { ...r, answers: JSON.parse(r.answers) }]));
}

export const questionsOf = (q) => q.sections.flatMap((s) => s.questions);

// The columns every export has, in order, derived here from the questionnaire: what each holds
// and how to find its value in stored answers. (The "other, please specify" text follows its
// question, as the loader places it.)
export function expectedColumns(q) {
  const columns = [
    { name: 'response_id', kind: 'text', get: (r) => r.id },
    { name: 'submitted_on', kind: 'date', get: (r) => r.submitted_on },
    { name: 'mode', kind: 'text', get: (r) => r.mode },
    { name: 'language', kind: 'text', get: (r) => r.language },
  ];
  for (const question of questionsOf(q)) {
    const { name, type } = question;
    const answer = (r) => r.answers[name];
    if (type === 'note') continue;
    if (type === 'multiple') {
      for (const c of question.choices) {
        columns.push({ name: `${name}/${c.name}`, kind: 'selected', question,
                       get: (r) => (answer(r) === undefined ? undefined : answer(r).includes(c.name) ? 1 : 0) });
      }
    } else if (type === 'matrix') {
      for (const row of question.rows) {
        columns.push({ name: `${name}/${row.name}`, kind: 'choice', question, get: (r) => answer(r)?.[row.name] });
      }
    } else if (type === 'ranking') {
      for (let place = 1; place <= question.max_rank; ++place) {
        columns.push({ name: `${name}/${place}`, kind: 'choice', question, get: (r) => answer(r)?.[place - 1] });
      }
    } else if (type === 'single' || type === 'scale') {
      columns.push({ name, kind: 'choice', question, get: answer });
    } else if (['integer', 'decimal', 'year'].includes(type)) {
      columns.push({ name, kind: 'number', question, get: answer });
    } else if (type === 'date') {
      columns.push({ name, kind: 'date', question, get: answer });
    } else if (type === 'calculate') {
      columns.push({ name, kind: 'calculated', question, get: answer });
    } else {
      columns.push({ name, kind: 'text', question, get: answer });
    }
    if (type !== 'matrix' && question.choices?.some((c) => c.other)) {
      columns.push({ name: `${name}_other`, kind: 'text', get: (r) => r.answers[`${name}_other`] });
    }
  }
  return columns;
}

export const label = (text, language = 'sr-Cyrl') => text?.[language] ?? text?.['sr-Cyrl'];

// Reads an XLSX file with openpyxl: every cell's value and type, and whether any sheet holds a
// formula (an <f> element) at all.
export function readXlsx(file) {
  const script = `
import json, sys, zipfile, datetime, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
def cell(c):
    v = c.value
    if isinstance(v, datetime.datetime): v = v.date().isoformat()
    return {"v": v, "t": c.data_type, "f": c.number_format}
sheets = {ws.title: [[cell(c) for c in row] for row in ws.iter_rows()] for ws in book.worksheets}
with zipfile.ZipFile(sys.argv[1]) as z:
    formulas = sum(z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in z.namelist() if n.startswith("xl/worksheets/"))
print(json.dumps({"sheets": sheets, "sheet_names": book.sheetnames, "formulas": formulas}))
`;
  return JSON.parse(run('/usr/bin/python3', ['-c', script, file]));
}

// Reads an SPSS file with ReadStat: its summary, its variables (names, labels, value labels) and
// its data as CSV.
export function readSav(file) {
  const summary = run('readstat', [file]);
  const metadataFile = `${file}.json`;
  run('extract_metadata', [file, metadataFile]);
  const metadata = JSON.parse(readFileSync(metadataFile, 'utf8'));
  run('readstat', [file, `${file}.csv`]);
  const { header, records } = readCsv(`${file}.csv`);
  return { summary, variables: metadata.variables, header, records };
}

// SPSS counts dates in seconds from 14 October 1582.
export const spssDate = (iso) => (Date.parse(`${iso}T00:00:00Z`) - Date.parse('1582-10-14T00:00:00Z')) / 1000;

// A column's value in a stored response as the CSV spells it (and as the XLSX's cells read back
// as text): empty when unanswered, numbers and 0/1 as digits, choices by name.
export function csvText(column, response) {
  const value = column.get(response);
  return value === undefined || value === null ? '' : String(value);
}
