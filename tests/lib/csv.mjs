// Reading CSV files back in tests, as a spreadsheet would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// RFC 4180: fields separated by commas, records by CRLF (LF accepted), quoted fields may hold
// commas, quotes (doubled) and line breaks.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      assert.equal(field, '', `a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field); field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // handled by the \n
    } else if (c === '\n') {
      row.push(field); rows.push(row); row = []; field = '';
    } else {
      field += c;
    }
  }
  assert.equal(quoted, false, 'the file ends inside a quoted field');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// Reads an exported CSV file: strict UTF-8, an optional byte-order mark, a header row.
// Returns { header, records } with one object per row, keyed by column name.
export function readCsv(file) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const [header, ...rows] = parseCsv(body);
  for (const r of rows) assert.equal(r.length, header.length, 'every row has a cell per column');
  const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  return { header, records };
}
