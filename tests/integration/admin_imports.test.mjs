// Uploads in the administration: a coordinator imports an XLSForm (as CSV) with Cyrillic labels,
// sees what was not carried over, creates a survey from the stored version, and imports typed-in
// paper answers with a report, in Serbian, of the rows refused — without the command line.
// Broken files and wrong types are refused with 422 and nothing is stored; other roles and other
// municipalities get 403; strangers cannot send large bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { request, unescapeHtml } from '../lib/http.mjs';
import { countRows, query } from '../lib/database.mjs';
import { demoAccounts, AdminSession } from '../lib/admin.mjs';

const form = (version, extraRow = '') => [
  'survey,,,,,,',
  ',type,name,label,label::English (en),required,relevant,constraint',
  ',integer,members,Колико чланова има домаћинство?,How many members?,yes,,. >= 1 and . <= 20',
  ',select_one yes_no,has_child,Има ли деце?,Any children?,yes,,',
  ",select_multiple needs,needs,Шта је потребно?,What is needed?,,${has_child} = 'yes',",
  ',geopoint,where,Где живите?,Where?,,,',
  extraRow,
  'choices,,,',
  ',list_name,name,label,label::English (en)',
  ',yes_no,yes,Да,Yes', ',yes_no,no,Не,No',
  ',needs,food,Храна,Food', ',needs,care,Нега,Care',
  'settings,,,',
  ',form_title,form_id,version',
  `,Папирни упитник,paper_upload,${version}`,
  ''].join('\n');

let server;
let accounts;
const questionnaires = '/admin/m/demo/questionnaires';
const text = (html) => unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const versions = () => Number(query(server.database, 'SELECT count(*) FROM questionnaire_versions'));

before(async () => {
  server = await startServer();
  accounts = await demoAccounts(server);
});

after(async () => {
  await server?.stop();
});

async function signedIn(key) {
  const session = new AdminSession(server.url);
  const r = await session.signIn(accounts[key].email, accounts[key].password);
  assert.equal(r.status, 303, `${key} signs in`);
  return session;
}

const csvFile = (content, filename = 'form.csv') => ({ field: 'file', filename, content, type: 'text/csv' });

test('an XLSForm uploaded by a coordinator is stored, with what was not carried over, and becomes a survey', async () => {
  const coordinator = await signedIn('coordinator');
  const page = await coordinator.get(`${questionnaires}?lang=sr-Cyrl`);
  assert.equal(page.status, 200);
  assert.match(page.text, /enctype="multipart\/form-data"/);
  assert.match(page.text, /<input type="file" id="file" name="file" accept=".xlsx,.csv,.lss"/);

  const before = versions();
  const r = await coordinator.upload(`${questionnaires}?lang=sr-Cyrl`, [], [csvFile(form('1'))]);
  assert.equal(r.status, 200, text(r.text));
  assert.match(text(r.text), /Упитник „Папирни упитник“, верзија 1, је сачуван: 1 страна, 3 питања\./);
  // The geopoint question cannot be carried over: named with its sheet and row.
  assert.match(text(r.text), /Ово није пренето/);
  assert.match(text(r.text), /survey, ред 5 \(where\) type "geopoint" cannot be imported/);
  assert.equal(versions(), before + 1);
  const audit = query(server.database, "SELECT action, object FROM audit_log WHERE action = 'questionnaire_import'", { json: true });
  assert.deepEqual(audit.map((a) => a.object), ['paper_upload 1']);

  // The same file again is the same version: stored once.
  const again = await coordinator.upload(questionnaires, [], [csvFile(form('1'))]);
  assert.equal(again.status, 200);
  assert.equal(versions(), before + 1);

  // From the link to a new survey with it: the form offers it, selected.
  const id = Number(query(server.database, "SELECT id FROM questionnaire_versions WHERE name = 'paper_upload'"));
  const link = unescapeHtml(r.text.match(/<a class="button" href="([^"]*)">/)[1]);
  assert.match(link, new RegExp(`questionnaire=v${id}$`));
  const newPage = await coordinator.get(link);
  assert.equal(newPage.status, 200);
  assert.match(newPage.text, new RegExp(`<option value="v${id}" selected>Папирни упитник \\(paper_upload 1\\)</option>`));
  const created = await coordinator.post('/admin/m/demo/new', [['questionnaire', `v${id}`], ['slug', 'paper'],
                                                               ['min_cell_size', '5'], ['date_precision', 'day']]);
  assert.equal(created.status, 303, text(created.text));
  const campaign = query(server.database, "SELECT questionnaire_version_id FROM campaigns WHERE slug = 'paper'");
  assert.equal(Number(campaign), id);
});

test('broken or unsuitable questionnaire files are refused with their place, and nothing is stored', async () => {
  const coordinator = await signedIn('coordinator');
  const before = versions();

  const none = await coordinator.upload(`${questionnaires}?lang=sr-Cyrl`, [], []);
  assert.equal(none.status, 422);
  assert.match(text(none.text), /Изаберите датотеку\./);

  const wrongType = await coordinator.upload(`${questionnaires}?lang=en`, [], [csvFile('hello', 'notes.txt')]);
  assert.equal(wrongType.status, 422);
  assert.match(text(wrongType.text), /The file must be \.xlsx, \.csv or \.lss\./);

  const notZip = await coordinator.upload(`${questionnaires}?lang=en`, [], [csvFile('not a zip', 'form.xlsx')]);
  assert.equal(notZip.status, 422);
  assert.match(text(notZip.text), /The questionnaire was not imported/);

  const badExpression = await coordinator.upload(`${questionnaires}?lang=sr-Cyrl`, [],
                                                 [csvFile(form('2', ",integer,age,Године?,Age?,,${members} >>> 2,"))]);
  assert.equal(badExpression.status, 422);
  assert.match(text(badExpression.text), /Упитник није увезен/);
  assert.match(text(badExpression.text), /survey, ред 6, колона relevant \(age\), знак 13 unexpected '>'/);

  // The same name and version with other content: a stored version never changes.
  const changed = await coordinator.upload(`${questionnaires}?lang=sr-Cyrl`, [],
                                           [csvFile(form('1', ',text,remark,Напомена,Remark,,,'))]);
  assert.equal(changed.status, 422);
  assert.match(text(changed.text), /Промените верзију/);
  assert.equal(versions(), before);
});

test('typed-in paper answers upload with a report of the refused rows in the coordinator\'s language', async () => {
  const coordinator = await signedIn('coordinator');
  const page = '/admin/m/demo/c/paper/import';
  const form = await coordinator.get(`${page}?lang=sr-Cyrl`);
  assert.equal(form.status, 200);
  assert.match(form.text, /<input type="checkbox" id="skip_invalid" name="skip_invalid" value="1">/);
  const campaignId = Number(query(server.database, "SELECT id FROM campaigns WHERE slug = 'paper'"));
  const stored = () => countRows(server.database, 'responses', `WHERE campaign_id = ${campaignId} AND mode = 'import'`);

  const answers = [
    'members;has_child;needs/food;needs/care;remark',
    '3;yes;1;0;first form',
    '2;Да;1;1;',
    '30;no;;;',
    'abc;no;;;',
    ''].join('\r\n');
  const refused = await coordinator.upload(`${page}?lang=sr-Cyrl`, [], [csvFile(answers, 'answers.csv')]);
  assert.equal(refused.status, 422);
  const report = text(refused.text);
  assert.match(report, /Редова с одговорима: 4\. Сачувано: 0\. Већ сачувано раније: 0\. Одбијено: 2\./);
  assert.match(report, /Ништа није сачувано\./);
  assert.match(report, /4 members Проверите одговор/);
  assert.match(report, /5 members Упишите број, на пример 12/);
  assert.match(report, /Колоне које нису питања, па су занемарене remark/);
  assert.equal(stored(), 0);

  const english = await coordinator.upload(`${page}?lang=en`, [], [csvFile(answers, 'answers.csv')]);
  assert.match(text(english.text), /5 members Enter a number, for example 12/);

  const skipped = await coordinator.upload(`${page}?lang=sr-Latn`, [['skip_invalid', '1']], [csvFile(answers, 'answers.csv')]);
  assert.equal(skipped.status, 200, text(skipped.text));
  assert.match(text(skipped.text), /Sačuvano: 2\. Već sačuvano ranije: 0\. Odbijeno: 2\./);
  assert.equal(stored(), 2);

  const again = await coordinator.upload(`${page}?lang=en`, [['skip_invalid', '1']], [csvFile(answers, 'answers.csv')]);
  assert.match(text(again.text), /Stored: 0\. Already stored before: 2\./);
  assert.equal(stored(), 2);
  const audit = query(server.database, "SELECT count(*) FROM audit_log WHERE action = 'responses_import'");
  assert.equal(Number(audit), 2);

  const unreadable = await coordinator.upload(`${page}?lang=en`, [], [csvFile('PK not really', 'answers.xlsx')]);
  assert.equal(unreadable.status, 422);
  assert.match(text(unreadable.text), /The file cannot be read/);
});

test('only those who manage the municipality\'s surveys may upload, and strangers cannot send large bodies', async () => {
  for (const key of ['analyst', 'interviewer', 'coordinator@susedna']) {
    const session = await signedIn(key);
    for (const path of [questionnaires, '/admin/m/demo/c/citizens/import']) {
      const get = await session.get(path);
      assert.equal(get.status, 403, `${key} GET ${path}`);
      const post = await session.upload(path, [], [csvFile(form('9'))]);
      assert.equal(post.status, 403, `${key} POST ${path}`);
    }
  }
  const coordinator = await signedIn('coordinator');
  const noToken = await coordinator.upload(questionnaires, [], [csvFile(form('9'))], { cookie: '' });
  assert.equal(noToken.status, 403, 'no session cookie, no upload');

  // 1 MB: over the limit of an ordinary request, within that of a signed-in upload.
  const large = 'x'.repeat(1024 * 1024);
  const stranger = await request(`${server.url}${questionnaires}`, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=abc' },
    body: `--abc\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${large}\r\n--abc--\r\n`,
  });
  assert.equal(stranger.status, 413);
  const signedInLarge = await coordinator.upload(`${questionnaires}?lang=en`, [], [csvFile(large, 'large.csv')]);
  assert.equal(signedInLarge.status, 422, 'read whole, then refused as a questionnaire');
  assert.match(text(signedInLarge.text), /The questionnaire was not imported/);
});
