// `needsmap campaign poster`: the A4 poster read back by real readers — poppler's pdftotext,
// pdfinfo and pdffonts, and the QR code rendered by pdftoppm and decoded by zbarimg.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory } from '../lib/server.mjs';
import { freshDatabase, dropDatabase } from '../lib/database.mjs';

const baseUrl = 'https://anketa.example.org';
let dir;
let db;

before(async () => {
  dir = temporaryDirectory();
  // Our own database, so that stopping the server leaves it for the command to read.
  db = freshDatabase(dir);
  const server = await startServer({ db });
  await server.stop();
  const created = needsmap(['campaign', 'create', '--db', db, '--municipality', 'kraljevo',
                            '--municipality-name', 'Краљево', '--municipality-name-en', 'Kraljevo',
                            '--campaign', 'needs-2025', '--questionnaire', 'citizens',
                            '--closes', '2025-11-21T23:59Z', '--contact', 'socijalna.zastita@kraljevo.example']);
  assert.equal(created.status, 0, created.stderr);
});

after(() => {
  if (db) dropDatabase(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function tool(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${command}: ${r.error.message}`);
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function writePoster(campaign, language, name) {
  const out = join(dir, name);
  const r = needsmap(['campaign', 'poster', '--db', db, '--campaign', campaign, '--base-url', baseUrl,
                      '--language', language, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return { out, stdout: r.stdout };
}

// The poster as its readers see it. pdftotext keeps the page's line breaks (a title wraps) and
// the no-break spaces of dates: both become plain spaces here.
function readPoster(file) {
  const text = tool('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const png = `${file}.page`;
  tool('pdftoppm', ['-r', '150', '-png', '-singlefile', file, png]);
  const codes = tool('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', `${png}.png`]);
  return {
    text,
    flat: text.replace(/[\s\u00a0]+/g, ' '),
    lines: text.split('\n').map((l) => l.trim()),
    info: tool('pdfinfo', ['-enc', 'UTF-8', file]),
    fonts: tool('pdffonts', [file]),
    // The header of pdfimages' table and one row per raster image.
    images: tool('pdfimages', ['-list', file]).split('\n').filter((l) => l.trim() !== '').slice(2),
    codes: codes.split('\n').filter((l) => l !== ''),
  };
}

// pdffonts: a table of every font of the document; a row ends in emb, sub, uni, object, generation.
function fontRows(fonts) {
  return fonts.split('\n').slice(2).filter((l) => l.trim() !== '').map((line) => {
    const m = line.match(/^(\S+)\s+.*?\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
    assert.ok(m, `unexpected pdffonts row: ${line}`);
    return { name: m[1], embedded: m[2] === 'yes', unicode: m[4] === 'yes' };
  });
}

function assertA4OnePage(info, title) {
  assert.match(info, /^Page size:\s+595 x 842 pts \(A4\)/m);
  assert.match(info, /^Pages:\s+1$/m);
  const shown = info.match(/^Title:\s+(.*)$/m);
  assert.ok(shown, info);
  assert.equal(shown[1], title);
}

function assertFontsEmbedded(fonts) {
  const rows = fontRows(fonts);
  assert.ok(rows.length > 0);
  for (const row of rows) {
    assert.ok(row.embedded, `${row.name} is not embedded`);
    assert.ok(row.unicode, `${row.name} has no map back to Unicode`);
    assert.match(row.name, /^[A-Z]{6}\+DejaVuSans(-Bold)?$/);
  }
  assert.ok(rows.some((r) => r.name.endsWith('+DejaVuSans')));
  assert.ok(rows.some((r) => r.name.endsWith('+DejaVuSans-Bold')));
}

test('the Serbian Cyrillic poster is one A4 page whose text reads back in Cyrillic and whose QR code holds the public address', () => {
  const url = `${baseUrl}/s/demo/citizens`;
  const { out, stdout } = writePoster('demo/citizens', 'sr-Cyrl', 'citizens-cyrl.pdf');
  assert.match(stdout, /demo\/citizens/);
  const poster = readPoster(out);
  const title = 'Да нико не буде изостављен: упитник за грађане';
  assert.ok(poster.flat.includes(title), poster.text);
  assert.ok(poster.lines.includes('Демо општина'), poster.text);
  assert.ok(poster.flat.includes('Истраживање спроводи Демо општина.'), poster.text);
  assert.ok(poster.flat.includes('Упитник је потпуно анониман'), poster.text);
  assert.ok(poster.flat.includes('Попуњавање траје око 10 минута.'), poster.text);
  assert.ok(poster.flat.includes('Центра за социјални рад'), poster.text);
  assert.ok(poster.flat.includes('socijalna.zastita@demo.example'), poster.text);
  assert.ok(poster.lines.includes(url), `the address on a line of its own:\n${poster.text}`);
  assert.doesNotMatch(poster.text, /Да нико не буде изостављен: upitnik|Da niko/, 'no Latin in a Cyrillic poster');
  assertA4OnePage(poster.info, title);
  assertFontsEmbedded(poster.fonts);
  assert.deepEqual(poster.images, [], 'the QR code is drawn, not a picture');
  assert.deepEqual(poster.codes, [url]);
});

test('the Serbian Latin poster is in Latin script throughout and its address and QR code ask for Latin', () => {
  const url = `${baseUrl}/s/demo/citizens?lang=sr-Latn`;
  const { out } = writePoster('demo/citizens', 'sr-Latn', 'citizens-latn.pdf');
  const poster = readPoster(out);
  const title = 'Da niko ne bude izostavljen: upitnik za građane';
  assert.ok(poster.flat.includes(title), poster.text);
  assert.ok(poster.lines.includes('Demo opština'), poster.text);
  assert.ok(poster.flat.includes('Upitnik je potpuno anoniman'), poster.text);
  assert.ok(poster.flat.includes('Centra za socijalni rad'), poster.text);
  assert.ok(poster.lines.includes(url), poster.text);
  assert.doesNotMatch(poster.text, /[\u0400-\u04FF]/, 'no Cyrillic letter left');
  assertA4OnePage(poster.info, title);
  assertFontsEmbedded(poster.fonts);
  assert.deepEqual(poster.codes, [url]);
});

test('the English poster uses the English titles and names', () => {
  const url = `${baseUrl}/s/demo/stakeholders?lang=en`;
  const { out } = writePoster('demo/stakeholders', 'en', 'stakeholders-en.pdf');
  const poster = readPoster(out);
  const title = 'Leave no one behind: questionnaire for institutions, organisations and professionals';
  assert.ok(poster.flat.includes(title), poster.text);
  assert.ok(poster.lines.includes('Demo municipality'), poster.text);
  assert.ok(poster.flat.includes('The questionnaire is completely anonymous'), poster.text);
  assert.ok(poster.flat.includes('Centre for Social Work'), poster.text);
  assert.ok(poster.lines.includes(url), poster.text);
  assertA4OnePage(poster.info, title);
  assertFontsEmbedded(poster.fonts);
  assert.deepEqual(poster.codes, [url]);
});

test('the Macedonian poster reads back in Macedonian Cyrillic', () => {
  const url = `${baseUrl}/s/demo/users?lang=mk`;
  const { out } = writePoster('demo/users', 'mk', 'users-mk.pdf');
  const poster = readPoster(out);
  assert.ok(poster.flat.includes('Прашалникот е целосно анонимен'), poster.text);
  assert.ok(poster.flat.includes('Центарот за социјална работа'), poster.text);
  assert.ok(poster.lines.includes(url), poster.text);
  assertFontsEmbedded(poster.fonts);
  assert.deepEqual(poster.codes, [url]);
});

test('a campaign\'s own municipality, closing date and contact are on its poster', () => {
  const url = `${baseUrl}/s/kraljevo/needs-2025`;
  const { out } = writePoster('kraljevo/needs-2025', 'sr-Cyrl', 'kraljevo.pdf');
  const poster = readPoster(out);
  assert.ok(poster.lines.includes('Краљево'), poster.text);
  assert.ok(poster.flat.includes('Последњи дан за попуњавање: 21. новембар 2025.'), poster.text);
  assert.ok(poster.flat.includes('Питања и помоћ: socijalna.zastita@kraljevo.example'), poster.text);
  assert.deepEqual(poster.codes, [url]);
  const latin = readPoster(writePoster('kraljevo/needs-2025', 'sr-Latn', 'kraljevo-latn.pdf').out);
  assert.ok(latin.flat.includes('Poslednji dan za popunjavanje: 21. novembar 2025.'), latin.text);
  assert.ok(latin.lines.includes('Kraljevo'), latin.text);
});

test('a poster that cannot be made fails with a message and writes nothing', () => {
  const out = join(dir, 'refused.pdf');
  const poster = (overrides) => {
    const options = { '--db': db, '--campaign': 'demo/citizens', '--base-url': baseUrl,
                      '--language': 'sr-Cyrl', '--out': out, ...overrides };
    return needsmap(['campaign', 'poster', ...Object.entries(options).flat()]);
  };
  for (const [overrides, message] of [
    [{ '--campaign': 'nowhere/nothing' }, /no campaign nowhere\/nothing/],
    [{ '--campaign': 'no-slash' }, /MUNICIPALITY\/CAMPAIGN/],
    [{ '--language': 'de' }, /--language must be sr-Cyrl, sr-Latn, en or mk/],
    [{ '--base-url': 'ftp://anketa.example.org' }, /base URL must be an http:\/\/ or https:\/\//],
    [{ '--base-url': 'anketa.example.org' }, /base URL/],
    [{ '--out': join(dir, 'no', 'such', 'folder', 'poster.pdf') }, /cannot write .*poster\.pdf/],
  ]) {
    const r = poster(overrides);
    assert.equal(r.status, 1, `${JSON.stringify(overrides)}: ${r.stdout}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^needsmap: /);
  }
  assert.equal(existsSync(out), false);
});
