// Published results (/r/{m}/{c}): nothing before a coordinator publishes (a 404 in the reader's
// language); an analyst may not publish; once published, the page shows the method, the shares of
// the questions with small cells hidden, the gaps and the priorities, in Cyrillic, Latin and
// English; the PDF read back by pdftotext, the DOCX unzipped and the XLSX read by openpyxl hold
// the same figures; what was published stays while answers come in, until published again; and
// `needsmap report` writes the same files from the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, needsmap, temporaryDirectory } from '../lib/server.mjs';
import { request, unescapeHtml } from '../lib/http.mjs';
import { fortyRespondents, submitAll } from '../lib/citizens.mjs';
import { signedInSessions } from '../lib/admin.mjs';

let server;
let sessions;
const publishPage = '/admin/m/demo/c/citizens/publish';
const results = '/r/demo/citizens';
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const dir = temporaryDirectory();

// 40 respondents: 26 in towns, 14 in villages; twelve needed home care and did not get it, two a
// day care centre for older people (too few to publish).
const plan = fortyRespondents();

async function download(path) {
  const r = await fetch(`${server.url}${path}`);
  assert.equal(r.status, 200, path);
  return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
           bytes: Buffer.from(await r.arrayBuffer()) };
}

function saved(name, bytes) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

before(async () => {
  server = await startServer();
  sessions = await signedInSessions(server, ['analyst', 'coordinator']);
  await submitAll(server.url, plan);
});

after(async () => {
  await server?.stop();
});

test('before publication the results are not there, and the reader is told in their language', async () => {
  const r = await request(`${server.url}${results}?lang=en`);
  assert.equal(r.status, 404);
  assert.match(text(r.text), /The results of this survey have not been published yet/);
  const sr = await request(`${server.url}${results}`);
  assert.equal(sr.status, 404);
  assert.match(text(sr.text), /Резултати ове анкете још нису објављени/);
  assert.equal((await request(`${server.url}${results}/report.pdf`)).status, 404);
});

test('an analyst may not publish; a coordinator sees the page and publishes', async () => {
  const refused = await sessions.analyst.post(`${publishPage}?lang=en`, [['action', 'publish']]);
  assert.equal(refused.status, 403);
  const page = await sessions.coordinator.get(`${publishPage}?lang=en`);
  assert.equal(page.status, 200);
  assert.match(text(page.text), /The results have not been published yet/);
  const bad = await sessions.coordinator.post(`${publishPage}?lang=en`, [['action', 'shout']]);
  assert.equal(bad.status, 400);
  const r = await sessions.coordinator.post(`${publishPage}?lang=en`, [['action', 'publish']]);
  assert.equal(r.status, 303, r.text);
  const after = await sessions.coordinator.get(`${publishPage}?lang=en`);
  assert.match(text(after.text), /The results were published on \d{4}-\d\d-\d\d \([^)@]+@[^)]+\)/);
  assert.match(after.text, /href="\/r\/demo\/citizens\/report\.pdf\?lang=en"/);
});

test('the public page: method, shares with small cells hidden, gaps and priorities', async () => {
  const r = await request(`${server.url}${results}?lang=en`);
  assert.equal(r.status, 200, r.text);
  const page = text(r.text);
  assert.match(page, /Results of the social needs survey/);
  assert.match(page, /How the survey was done/);
  assert.match(page, /40 people answered/);
  assert.match(page, /Figures resting on fewer than 5 respondents are not published/);
  // Weighted to the demo population table: half in towns and half in villages, although 26
  // respondents live in towns and 14 in villages.
  assert.match(page, /weighted to the population figures \(needsmap demo data/);
  assert.match(page, /In a town or the municipal centre 50\.0 % 50\.0 % – 50\.0 % 26 In a village 50\.0 % 50\.0 % – 50\.0 % 14/);
  // The awareness of services (a matrix): one table, a row per service, a column per answer.
  assert.match(page, /Item I don't know this service I know it, but we have not used it We have used it/);
  // The unmet need: home care 12 of 40; the day care centre's 2 are hidden.
  const gaps = page.slice(page.indexOf('Needs and gaps by service'));
  // Home care: a weighted share with its interval, then households in the municipality.
  assert.match(gaps, /Home care \(personal care, hygiene, shopping, housework\) \d+\.\d % \d+\.\d % – \d+\.\d % \d+ /);
  assert.match(gaps, /Day care centre for older people hidden/);
  assert.doesNotMatch(gaps, /Day care centre for older people 5\.0 %/);
  // The users' column, last: no user of social protection has answered in this run.
  assert.match(gaps, /Professionals' priority Users miss it Needs assessment/);
  assert.match(gaps, /housework\) [^A-Za-z]+ % — — Day care centre/);
  // Risk factors by vulnerable group: a column per group, small groups hidden.
  assert.match(page, /Risk factors by vulnerable group Risk factor /);
  const priorities = page.slice(page.indexOf('Priorities'));
  assert.match(priorities, /1 [^0-9]+ \d+\.\d/);
  // Charts carry their text alternative; tables their captions and scopes.
  assert.match(r.text, /<svg class="chart"[^>]+role="img" aria-labelledby="[^"]+-title [^"]+-desc"/);
  assert.match(r.text, /<th scope="col"/);
  // The files are offered.
  for (const format of ['pdf', 'docx', 'xlsx']) {
    assert.match(r.text, new RegExp(`href="/r/demo/citizens/report\\.${format}\\?lang=en"`));
  }
});

test('in Serbian Cyrillic and Latin, the same figures', async () => {
  const cyrillic = text((await request(`${server.url}${results}`)).text);
  assert.match(cyrillic, /Резултати истраживања социјалних потреба/);
  assert.match(cyrillic, /У граду или у седишту општине 50\.0 % 50\.0 % – 50\.0 % 26 На селу 50\.0 %/);
  const latin = await request(`${server.url}${results}?lang=sr-Latn`);
  assert.equal(latin.status, 200);
  const article = latin.text.slice(latin.text.indexOf('<article'), latin.text.indexOf('</article>'));
  assert.match(text(article), /Rezultati istraživanja socijalnih potreba/);
  assert.doesNotMatch(article, /[А-Яа-яЂђЈјЉљЊњЋћЏџ]/, 'no Cyrillic letter in the Latin report');
  assert.match(latin.text, /<html lang="sr-Latn">/);
});

test('the PDF, DOCX and XLSX hold the published figures', async () => {
  const pdf = await download(`${results}/report.pdf?lang=en`);
  assert.equal(pdf.type, 'application/pdf');
  assert.match(pdf.disposition, /demo-citizens-en\.pdf/);
  const pdfText = execFileSync('pdftotext', ['-layout', saved('r.pdf', pdf.bytes), '-'], { encoding: 'utf8' })
    .replace(/\s+/g, ' ');
  assert.match(pdfText, /Results of the social needs survey/);
  assert.match(pdfText, /In a village 50\.0 % 50\.0 % – 50\.0 % 14/);
  assert.match(pdfText, /Needs and gaps by service/);

  const docx = await download(`${results}/report.docx?lang=en`);
  const xml = execFileSync('unzip', ['-p', saved('r.docx', docx.bytes), 'word/document.xml'], { encoding: 'utf8' });
  assert.match(xml, /Results of the social needs survey/);
  assert.match(xml, />In a village</);
  assert.match(xml, />50\.0\s%</);  // a no-break space keeps figure and sign together
  assert.match(xml, /w:val="Heading1"/);

  const xlsx = await download(`${results}/report.xlsx?lang=en`);
  const file = saved('r.xlsx', xlsx.bytes);
  const read = execFileSync('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    out[sheet.title] = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
print(json.dumps(out, default=str))`, file], { encoding: 'utf8' });
  const sheets = JSON.parse(read);
  assert.ok(sheets.settlement, Object.keys(sheets).join(', '));
  const village = sheets.settlement.find((row) => row[0] === 'In a village');
  assert.deepEqual([village[1], village[3]], [50, 14], JSON.stringify(sheets.settlement));
});

test('what was published stays while answers come in, until it is published again', async () => {
  await submitAll(server.url, plan.slice(0, 10));
  const still = text((await request(`${server.url}${results}?lang=en`)).text);
  assert.match(still, /40 people answered/);
  const r = await sessions.coordinator.post(`${publishPage}?lang=en`, [['action', 'publish']]);
  assert.equal(r.status, 303);
  const again = text((await request(`${server.url}${results}?lang=en`)).text);
  assert.match(again, /50 people answered/);
});

test('needsmap report writes the published report from the database', async () => {
  const out = join(dir, 'cli.pdf');
  const written = needsmap(['report', '--db', server.database, '--campaign', 'demo/citizens',
                            '--format', 'pdf', '--lang', 'en', '--out', out]);
  assert.equal(written.status, 0, written.stderr);
  const pdfText = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
  assert.match(pdfText, /Results of the social needs survey/);
  const html = join(dir, 'cli.html');
  assert.equal(needsmap(['report', '--db', server.database, '--campaign', 'demo/citizens',
                         '--format', 'html', '--out', html]).status, 0);
  assert.match(readFileSync(html, 'utf8'), /<html lang="sr-Cyrl">/);
  const missing = needsmap(['report', '--db', server.database, '--campaign', 'demo/nothing',
                            '--format', 'pdf', '--out', join(dir, 'none.pdf')]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /demo\/nothing/);
});

test('the draft Programme follows the priorities, as DOCX and PDF, and from the command line', async () => {
  const page = await sessions.coordinator.get(`${publishPage}?lang=en`);
  assert.match(page.text, /href="\/admin\/m\/demo\/c\/citizens\/publish\/programme\.docx\?lang=en"/);
  // The first priority of the published results …
  const published = text((await request(`${server.url}${results}?lang=en`)).text);
  const table = published.slice(published.indexOf('Rank Service Score'));
  const first = table.match(/^Rank Service Score Gave most 1 (.+?) \d+\.\d /)[1];
  // … is the first specific goal and the first measure of the draft.
  const docx = await fetch(`${server.url}${publishPage}/programme.docx?lang=en`,
                           { headers: { cookie: sessions.coordinator.cookie } });
  assert.equal(docx.status, 200);
  const file = saved('programme.docx', Buffer.from(await docx.arrayBuffer()));
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
  const words = text(xml);
  assert.match(words, /Draft Programme for improving social protection/);
  assert.ok(words.includes(`Specific goal 1: `) && words.indexOf(first) < words.indexOf('Specific goal 2'),
            `the first goal is about ${first}`);
  assert.match(words, /Measures and activities/);
  assert.match(words, /Indicators/);
  assert.match(words, /set by the working group/);

  const out = join(dir, 'programme-mk.pdf');
  const written = needsmap(['programme', '--db', server.database, '--municipality', 'demo',
                            '--format', 'pdf', '--lang', 'mk', '--out', out]);
  assert.equal(written.status, 0, written.stderr);
  const mk = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(mk, /Нацрт локален социјален план/);
  assert.match(mk, /Посебна цел 1/);
  const none = needsmap(['programme', '--db', server.database, '--municipality', 'nowhere',
                         '--format', 'pdf', '--out', join(dir, 'x.pdf')]);
  assert.notEqual(none.status, 0);
});

test('taken down, the results are gone again', async () => {
  const r = await sessions.coordinator.post(`${publishPage}?lang=en`, [['action', 'withdraw']]);
  assert.equal(r.status, 303);
  assert.equal((await request(`${server.url}${results}?lang=en`)).status, 404);
});
