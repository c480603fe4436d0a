// The public directory of services (/d/{municipality}) and the HSDS API's service filters, on the
// demo providers that `serve --demo` installs (data/registry/demo.json): a Latin search without
// diacritics finds a Cyrillic name, filters by target group and settlement, Serbian collation in
// both scripts, a service's page with its published fields only, 404s in the asker's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, needsmap, repoRoot, temporaryDirectory, uuid } from '../lib/server.mjs';
import { dropDatabase, freshDatabase } from '../lib/database.mjs';
import { request, unescapeHtml } from '../lib/http.mjs';

let server;
let dir;
const demoFile = join(repoRoot, 'data', 'registry', 'demo.json');
const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
const demoServices = demo.organizations.flatMap((o) => o.services);
const termId = (code) => demo.taxonomy_terms.find((t) => t.code === code).id;
const serviceNamed = (name) => demoServices.find((s) => s.name === name);
const dayCare = 'Дневни боравак за децу и младе са сметњама у развоју';

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
});

after(async () => {
  await server?.stop();
});

const page = (path, headers = {}) => request(`${server.url}${path}`, { headers });

// The names of the services a directory page lists, in its order.
function listed(html) {
  return [...html.matchAll(/<h3><a href="[^"]*">([^<]*)<\/a><\/h3>/g)].map((m) => unescapeHtml(m[1]));
}

// The value of the option labelled `label` in the select named `name`.
function optionValue(html, name, label) {
  const select = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`))[1];
  for (const m of select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)) {
    if (unescapeHtml(m[2]) === label) return unescapeHtml(m[1]);
  }
  assert.fail(`no option ${label} in ${name}`);
}

test('the demo providers are valid HSDS 3.0 for needsmap and for python3-jsonschema', () => {
  const r = needsmap(['registry', 'validate', '--format', 'json', demoFile]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /valid HSDS 3\.0.* 9 services/);
  const check = spawnSync('python3', [join(repoRoot, 'tests/lib/validate_hsds.py'),
    join(repoRoot, 'data', 'hsds-3.0'), 'document', demoFile], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  for (const o of demo.organizations) assert.match(o.description, /Демо подаци/, o.name);
});

test('the directory lists every demo service, and the survey page links to it', async () => {
  const r = await page('/d/demo');
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="sr-Cyrl">/);
  const names = listed(r.text);
  assert.deepEqual([...names].sort(), demoServices.map((s) => s.name).sort());
  assert.match(r.text, /9 услуга/);
  // Funding and staff are the registry's, never the public's.
  assert.doesNotMatch(r.text, /Наменски трансфер|geronto_housekeeper/);
  const intro = await page('/s/demo/citizens');
  assert.match(intro.text, /<a href="\/d\/demo\?lang=sr-Cyrl">Услуге социјалне заштите у општини<\/a>/);
  const neighbour = await page('/s/susedna/citizens');
  assert.doesNotMatch(neighbour.text, /href="\/d\//, 'no link to an empty directory');
});

test('a search ignores script, case and diacritics', async () => {
  for (const words of ['dnevni boravak', 'dnevni borávak', 'DNEVNI', 'дневни боравак', 'Dnevni Boravak ']) {
    const r = await page(`/d/demo?q=${encodeURIComponent(words)}`);
    assert.equal(r.status, 200, words);
    assert.deepEqual(listed(r.text), [dayCare], words);
    assert.match(r.text, /Пронађена је 1 услуга/, words);
    assert.ok(r.text.includes(`value="${words.trim()}"`), words);
  }
  // đ written as dj; a settlement's name found without its diacritics.
  assert.deepEqual(listed((await page('/d/demo?q=djurdjevak')).text),
    ['Ђурђевак: СОС телефон и саветовалиште за жртве насиља']);
  assert.deepEqual(listed((await page('/d/demo?q=narodna%20kuhinja%20sige')).text), ['Народна кухиња']);
  // In Latin the page shows the Cyrillic data transliterated.
  const latin = await page('/d/demo?q=dnevni&lang=sr-Latn');
  assert.deepEqual(listed(latin.text), ['Dnevni boravak za decu i mlade sa smetnjama u razvoju']);
});

test('filters by target group, service type and settlement, alone and together', async () => {
  const all = (await page('/d/demo')).text;
  const children = optionValue(all, 'group', 'Деца и млади са сметњама у развоју');
  assert.equal(children, termId('children_developmental_disabilities'));
  assert.deepEqual(listed((await page(`/d/demo?group=${children}`)).text).sort(),
    [dayCare, 'Лични пратилац детета'].sort());
  const homeCare = optionValue(all, 'type', 'Помоћ у кући (нега, хигијена, набавка, кућни послови)');
  assert.deepEqual(listed((await page(`/d/demo?type=${homeCare}`)).text),
    ['Помоћ у кући за старије и особе са инвалидитетом']);
  const medvedja = optionValue(all, 'place', 'Медвеђа');
  const inMedvedja = listed((await page(`/d/demo?place=${encodeURIComponent(medvedja)}`)).text);
  assert.ok(inMedvedja.includes(dayCare));
  assert.ok(!inMedvedja.includes('Народна кухиња'), 'the soup kitchen does not cover Medveđa');
  const both = await page(`/d/demo?group=${children}&place=${encodeURIComponent('Сиге')}`);
  assert.deepEqual(listed(both.text), ['Лични пратилац детета']);
  // The chosen filters stay chosen, and the language switch keeps them.
  assert.match(both.text, new RegExp(`<option value="${children}" selected>`));
  assert.match(both.text, new RegExp(`href="/d/demo\\?group=${children}&amp;place=[^"]*&amp;lang=en"`));
});

test('an empty result says so and offers to clear the search; a bad search is a 400', async () => {
  const r = await page('/d/demo?q=xyzzy&lang=en');
  assert.equal(r.status, 200);
  assert.deepEqual(listed(r.text), []);
  assert.match(r.text, /Nothing found/);
  assert.match(r.text, /<a href="\/d\/demo\?lang=en">Clear the search and filters to see every service\.<\/a>/);
  const bad = await page(`/d/demo?type=${uuid()}`, { 'accept-language': 'mk' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<html lang="mk">/);
  assert.match(bad.text, /Пребарувањето не е исправно/);
  assert.equal((await page(`/d/demo?q=${'a'.repeat(201)}`)).status, 400);
});

test('lists are in Serbian alphabetical order, Cyrillic and Latin', async () => {
  // Names that tell the orders apart, in another municipality's registry.
  const names = ['Шум', 'Цвет', 'Час', 'Ћуп', 'Дом', 'Ђак', 'Џеп', 'Ема', 'Љуба', 'Лом'];
  const organization = uuid();
  const document = {
    organizations: [{
      id: organization, name: 'Пробна организација', description: 'Демо подаци', sector: 'public',
      services: names.map((name) => ({ id: uuid(), name, status: 'active' })),
    }],
  };
  const file = join(dir, 'collation.json');
  writeFileSync(file, JSON.stringify(document));
  const imported = needsmap(['registry', 'import', '--db', server.database, '--municipality', 'susedna',
    '--format', 'json', file]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.deepEqual(listed((await page('/d/susedna')).text),
    ['Дом', 'Ђак', 'Ема', 'Лом', 'Љуба', 'Ћуп', 'Цвет', 'Час', 'Џеп', 'Шум']);
  // In Latin: c č ć d dž đ, l lj.
  assert.deepEqual(listed((await page('/d/susedna?lang=sr-Latn')).text),
    ['Cvet', 'Čas', 'Ćup', 'Dom', 'Džep', 'Đak', 'Ema', 'Lom', 'Ljuba', 'Šum']);
  const intro = await page('/s/susedna/citizens');
  assert.match(intro.text, /href="\/d\/susedna\?lang=sr-Cyrl"/);
});

test('a service\'s page says what it is, for whom, how to reach it, where and when', async () => {
  const service = serviceNamed(dayCare);
  const r = await page(`/d/demo/services/${service.id}`);
  assert.equal(r.status, 200);
  const html = unescapeHtml(r.text);
  for (const expected of [
    `<h1>${dayCare}</h1>`,
    'Установа за дневне услуге „Сунцокрет“ (демо)', '(јавни сектор)',
    'Деца и млади са сметњама у развоју', 'Дневни боравак за децу и младе са сметњама у развоју',
    'Узраст: од 5 до 26 година.',
    'Уз упут центра за социјални рад', // how to reach it
    'Бесплатно; превоз из села такође.',
    'Слободно: 2 од 20 места (стање на дан 03.11.2025.).',
    'Бранка Радичевића 7', '12320 Жагубица',
    'Приступачан тоалет',
    'понедељак – петак, од 08:00 до 16:00',
    '<a href="tel:012000300">012 000 300</a>',
    'Лиценцирана услуга (лиценца важи до 31.08.2028.)',
    'Медвеђа',
    'Марија Петровић (демо), руководилац дневног боравка, <a href="tel:012000301">012 000 301</a>',
    'Шта треба да понесете', '<li>Решење центра за социјални рад о праву на услугу</li>',
  ]) {
    assert.ok(html.includes(expected), `missing: ${expected}`);
  }
  assert.match(html, /<li>српски<\/li>/);
  // Each part once.
  for (const heading of ['Коме је намењена', 'Покрива насеља', 'Језици', 'Цена']) {
    assert.equal(html.split(`>${heading}</h`).length, 2, heading);
  }
  assert.equal(html.split('<li>Деца и млади са сметњама у развоју</li>').length, 2);
  // Internal figures are not published: funding, staff, users, waiting list.
  for (const internal of ['8100000', 'special_educator', 'Буџет општине', 'current_users']) {
    assert.ok(!html.includes(internal), `published: ${internal}`);
  }
  const latin = unescapeHtml((await page(`/d/demo/services/${service.id}?lang=sr-Latn`)).text);
  assert.ok(latin.includes('<h1>Dnevni boravak za decu i mlade sa smetnjama u razvoju</h1>'));
  assert.ok(latin.includes('Slobodno: 2 od 20 mesta'));
  const english = unescapeHtml((await page(`/d/demo/services/${service.id}?lang=en`)).text);
  assert.ok(english.includes('Ages 5 to 26.'));
  assert.ok(english.includes('Monday – Friday, from 08:00 to 16:00'));
  assert.ok(english.includes('Children and young people with developmental disabilities'), 'term labels in English');

  // A full service without places: says so. The SOS line: every day, round the clock.
  const homeCare = unescapeHtml((await page(`/d/demo/services/${serviceNamed('Помоћ у кући за старије и особе са инвалидитетом').id}`)).text);
  assert.ok(homeCare.includes('Тренутно нема слободних места (попуњено: 60 корисника). Можете тражити да вас упишу на листу чекања. Стање на дан 03.11.2025.<'));
  assert.ok(homeCare.includes('Бесплатно за кориснике новчане социјалне помоћи'));
  const sos = unescapeHtml((await page(`/d/demo/services/${serviceNamed('Ђурђевак: СОС телефон и саветовалиште за жртве насиља').id}`)).text);
  assert.ok(sos.includes('сваког дана, 0–24 часа'));
  assert.ok(sos.includes('уторак, четвртак, од 10:00 до 16:00'));
  assert.ok(sos.includes('упут није потребан'));
  assert.match(sos, /<li>српски<\/li><li>ромски<\/li>/);
  assert.ok(!sos.includes('<p>Бесплатно</p>'), 'a free cost option adds nothing to the fees\' description');
});

test('an unknown municipality or service is a 404 page in the asker\'s language', async () => {
  for (const [path, language, text] of [
    ['/d/nowhere', 'en', 'Page not found.'],
    [`/d/demo/services/${uuid()}`, 'sr-Cyrl', 'Страна не постоји.'],
    ['/d/demo/widgets/1', 'en', 'Page not found.'],
  ]) {
    const r = await page(path, { 'accept-language': language === 'en' ? 'en-GB,en' : 'sr' });
    assert.equal(r.status, 404, path);
    assert.match(r.text, new RegExp(`<html lang="${language}">`), path);
    assert.ok(r.text.includes(text), path);
  }
  const post = await request(`${server.url}/d/demo`, { method: 'POST' });
  assert.equal(post.status, 405);
});

test('the HSDS API filters services by search, term, taxonomy, organization and date', async () => {
  const api = async (query) => {
    const r = await page(`/api/hsds/demo/services?${query}`);
    assert.equal(r.status, 200, `${query}: ${r.text}`);
    return r.json;
  };
  const found = await api('search=dnevni%20borávak');
  assert.equal(found.total_items, 1);
  assert.equal(found.contents[0].name, dayCare);
  assert.equal((await api('search=%D0%94%D0%9D%D0%95%D0%92%D0%9D%D0%98')).total_items, 1);
  // A term finds the services linked to it and to the terms under it; paging counts the found.
  const dayServices = await api(`taxonomy_term_id=${termId('day_services')}&per_page=2&page=2`);
  assert.equal(dayServices.total_items, 3);
  assert.equal(dayServices.total_pages, 2);
  assert.equal(dayServices.size, 1);
  const taxonomy = demo.taxonomies.find((t) => t.uri.endsWith(':target_groups')).id;
  assert.equal((await api(`taxonomy_id=${taxonomy}`)).total_items, 9);
  const csw = demo.organizations.find((o) => o.name.startsWith('Центар за социјални рад'));
  const own = await api(`organization_id=${csw.id}`);
  assert.deepEqual(own.contents.map((s) => s.id).sort(), csw.services.map((s) => s.id).sort());
  assert.equal((await api('modified_after=2025-11-01')).total_items, 2);
  assert.equal((await api('modified_after=2025-11-20T00:00:00Z')).total_items, 1);
  assert.equal((await api(`search=zzz&taxonomy_term_id=${termId('day_services')}`)).empty, true);
  const bad = await page('/api/hsds/demo/services?modified_after=yesterday&lang=en');
  assert.equal(bad.status, 400);
  assert.match(bad.json.errors[0].message, /modified_after must be a date/);
});

test('the demo registry is installed once: a restart keeps what the registry has', async () => {
  const own = temporaryDirectory();
  const database = freshDatabase(own);
  let s = await startServer({ db: database });
  const count = async () => (await request(`${s.url}/api/hsds/demo/services`)).json.total_items;
  assert.equal(await count(), 9);
  await s.stop();
  s = await startServer({ db: database });
  assert.equal(await count(), 9, 'not installed twice');
  const file = join(own, 'one.json');
  writeFileSync(file, JSON.stringify({ organizations: [{ id: uuid(), name: 'Једна', description: 'Демо',
    services: [{ id: uuid(), name: 'Једина услуга', status: 'active' }] }] }));
  assert.equal(needsmap(['registry', 'import', '--db', database, '--municipality', 'demo', '--format', 'json', file]).status, 0);
  await s.stop();
  s = await startServer({ db: database });
  try {
    assert.equal(await count(), 1, 'a registry of its own is not replaced by the demo');
  } finally {
    await s.stop();
    dropDatabase(database);
    rmSync(own, { recursive: true, force: true });
  }
});
