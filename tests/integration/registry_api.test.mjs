// The registry of providers and services on HSDS 3.0: `needsmap registry import|export` in both
// formats (export → import → export identical to the byte, invalid files refused whole with
// errors by record and field), every export checked against the HSDS schemas by an independent
// validator (python3-jsonschema), and the HSDS read API's pages and full records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, needsmap, repoRoot, temporaryDirectory, uuid } from '../lib/server.mjs';
import { request } from '../lib/http.mjs';

let server;
let dir;
const schemaDir = join(repoRoot, 'data', 'hsds-3.0');

// A made-up registry in the needsmap profile: one provider with `services` services, each with
// a capacity, staff, funding by source and year, a target group and the settlements it covers.
function profileDocument(services) {
  const organization = uuid();
  const groups = { id: uuid(), name: 'Циљне групе', description: 'Target groups (needsmap)' };
  const elderly = { id: uuid(), name: 'Старије особе', description: 'Older people',
                    taxonomy_id: groups.id, code: 'older_people' };
  const unit = { id: uuid(), name: 'места' };
  return {
    version: '3.0',
    organizations: [{
      id: organization, name: 'Црвени крст (демо)', description: 'Демо организација',
      sector: 'civil',
      services: Array.from({ length: services }, (_, i) => ({
        id: uuid(), name: `Помоћ у кући ${i + 1}`, status: 'active', responsibility: 'municipality',
        licence_number: `560-00-0${i}/2024`, licence_valid_from: '2024-01-01',
        licence_valid_to: '2029-12-31', current_users: 20 + i, waiting_list: i,
        capacities: [{ id: uuid(), unit_id: unit.id, available: 2, maximum: 25 + i,
                       updated: '2025-11-01T00:00:00Z' }],
        staff: [{ id: uuid(), profession: 'geronto_domacica', full_time_equivalents: 4.5,
                  year: 2025 }],
        funding: [{ id: uuid(), source: 'Буџет општине', source_type: 'municipal_budget',
                    year: 2025, amount: 1200000, currency: 'RSD' },
                  { id: uuid(), source: 'Наменски трансфер', source_type: 'earmarked_transfer',
                    year: 2025, amount: 800000.5, currency: 'RSD' }],
        attributes: [{ id: uuid(), taxonomy_term_id: elderly.id, link_type: 'audience' }],
        service_areas: [{ id: uuid(), name: 'Жагубица' }, { id: uuid(), name: 'Крепољин' }],
      })),
    }],
    taxonomies: [groups],
    taxonomy_terms: [elderly],
    units: [unit],
  };
}

function registry(...args) {
  return needsmap(['registry', ...args]);
}

function exportTo(format, path, municipality = 'demo') {
  const r = registry('export', '--db', server.database, '--municipality', municipality,
                     '--format', format, path);
  assert.equal(r.status, 0, r.stderr);
  return path;
}

function importFrom(format, path, municipality = 'demo') {
  return registry('import', '--db', server.database, '--municipality', municipality,
                  '--format', format, path);
}

// python3-jsonschema's verdict on a document or (with a table) one record.
function independentlyValid(file, table) {
  const args = [join(repoRoot, 'tests/lib/validate_hsds.py'), schemaDir];
  args.push(...(table ? ['record', table, file] : ['document', file]));
  const r = spawnSync('python3', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${file}: ${r.stdout}${r.stderr}`);
}

const filesOf = (directory) => Object.fromEntries(
  readdirSync(directory).sort().map((f) => [f, readFileSync(join(directory, f), 'utf8')]));

before(async () => {
  server = await startServer();
  dir = temporaryDirectory();
});

after(async () => {
  await server?.stop();
});

test('the official HSDS example imports, and its JSON export re-imports to the same bytes', () => {
  const imported = importFrom('json', join(repoRoot, 'tests/data/hsds/tabular.json'));
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /imported .*1 services/);
  const first = exportTo('json', join(dir, 'first.json'));
  independentlyValid(first);
  assert.equal(importFrom('json', first).status, 0);
  const second = exportTo('json', join(dir, 'second.json'));
  assert.equal(readFileSync(second, 'utf8'), readFileSync(first, 'utf8'));
});

test('a data package export re-imports to the same files, and its CSV columns are described', () => {
  const imported = importFrom('datapackage', join(repoRoot, 'tests/data/hsds/csv'));
  assert.equal(imported.status, 0, imported.stderr);
  const first = exportTo('datapackage', join(dir, 'package-1'));
  assert.equal(importFrom('datapackage', first).status, 0);
  const second = exportTo('datapackage', join(dir, 'package-2'));
  assert.deepEqual(filesOf(second), filesOf(first));
  const descriptor = JSON.parse(readFileSync(join(first, 'datapackage.json'), 'utf8'));
  assert.equal(descriptor.profile, 'tabular-data-package');
  for (const resource of descriptor.resources) {
    const header = readFileSync(join(first, resource.path), 'utf8').split('\r\n')[0];
    assert.equal(header, resource.schema.fields.map((f) => f.name).join(','), resource.path);
  }
  // The package and the JSON export say the same.
  exportTo('json', join(dir, 'from-package.json'));
  const check = registry('validate', '--format', 'datapackage', first);
  assert.equal(check.status, 0, check.stderr);
});

test('an invalid file is refused whole, with errors by record and field', () => {
  const before = readFileSync(exportTo('json', join(dir, 'before.json')), 'utf8');
  const document = profileDocument(2);
  const bad = document.organizations[0].services[1];
  delete bad.status;
  bad.responsibility = 'county';
  bad.funding[0].year = 'last year';
  const file = join(dir, 'invalid.json');
  writeFileSync(file, JSON.stringify(document));
  const r = importFrom('json', file);
  assert.equal(r.status, 1);
  const id = document.organizations[0].id;
  assert.match(r.stderr, new RegExp(`organization ${id}: services\\[1\\]\\.status: is required`));
  assert.match(r.stderr, /services\[1\]\.responsibility: must be one of "municipality", "republic"/);
  assert.match(r.stderr, /services\[1\]\.funding\[0\]\.year: must be an integer/);
  assert.match(r.stderr, /nothing imported/);
  assert.equal(readFileSync(exportTo('json', join(dir, 'after.json')), 'utf8'), before);
});

test('the HSDS API pages through a municipality\'s services as the standard says', async () => {
  const document = profileDocument(7);
  const file = join(dir, 'profile.json');
  writeFileSync(file, JSON.stringify(document));
  const imported = importFrom('json', file);
  assert.equal(imported.status, 0, imported.stderr);
  independentlyValid(exportTo('json', join(dir, 'profile-export.json')));

  const expected = document.organizations[0].services.map((s) => s.id).sort();
  const seen = [];
  for (let page = 1; page <= 4; ++page) {
    const r = await request(`${server.url}/api/hsds/demo/services?per_page=3&page=${page}`);
    assert.equal(r.status, 200, r.text);
    const body = r.json;
    assert.equal(body.total_items, 7);
    assert.equal(body.total_pages, 3);
    assert.equal(body.page_number, page);
    assert.equal(body.first_page, page === 1);
    assert.equal(body.last_page, page >= 3);
    assert.equal(body.size, body.contents.length);
    assert.equal(body.size, [3, 3, 1, 0][page - 1]);
    assert.equal(body.empty, page === 4);
    seen.push(...body.contents.map((s) => s.id));
  }
  assert.deepEqual(seen, expected);

  const defaults = (await request(`${server.url}/api/hsds/demo/services`)).json;
  assert.equal(defaults.size, 7);
  const organizations = (await request(`${server.url}/api/hsds/demo/organizations`)).json;
  assert.equal(organizations.total_items, 1);
  assert.equal(organizations.contents[0].sector, 'civil');
  const terms = (await request(`${server.url}/api/hsds/demo/taxonomy_terms`)).json;
  assert.equal(terms.contents[0].taxonomy_detail.name, 'Циљне групе');
  const other = (await request(`${server.url}/api/hsds/susedna/services`)).json;
  assert.equal(other.total_items, 0, 'another municipality\'s registry is its own');
});

test('a full service nests its parts, embeds its organization and validates', async () => {
  const services = (await request(`${server.url}/api/hsds/demo/services?per_page=1`)).json;
  const id = services.contents[0].id;
  const r = await request(`${server.url}/api/hsds/demo/services/${id}`);
  assert.equal(r.status, 200, r.text);
  const service = r.json;
  assert.equal(service.id, id);
  assert.equal(service.organization.name, 'Црвени крст (демо)');
  assert.equal(service.funding.length, 2);
  assert.equal(service.capacities[0].unit.name, 'места');
  assert.equal(service.attributes[0].taxonomy_term.code, 'older_people');
  assert.deepEqual(service.service_areas.map((a) => a.name).sort(), ['Жагубица', 'Крепољин']);
  const file = join(dir, 'service.json');
  writeFileSync(file, r.text);
  independentlyValid(file, 'service');

  const organization = service.organization.id;
  const full = await request(`${server.url}/api/hsds/demo/organizations/${organization}`);
  assert.equal(full.json.services.length, 7);
  const root = (await request(`${server.url}/api/hsds/demo`)).json;
  assert.equal(root.version, '3.0');
});

test('bad requests get a 4xx JSON error in the asker\'s language', async () => {
  for (const query of ['page=0', 'page=x', 'per_page=501', 'per_page=-1']) {
    const r = await request(`${server.url}/api/hsds/demo/services?${query}`);
    assert.equal(r.status, 400, query);
    assert.match(r.json.errors[0].message, /page и per_page/, query);
  }
  const english = await request(`${server.url}/api/hsds/demo/services?page=0&lang=en`);
  assert.match(english.json.errors[0].message, /whole numbers/);
  const macedonian = await request(`${server.url}/api/hsds/demo/services?page=0&lang=mk`);
  assert.match(macedonian.json.errors[0].message, /цели броеви/);
  for (const path of ['/api/hsds/nowhere/services', '/api/hsds/demo/widgets',
                      `/api/hsds/demo/services/${uuid()}`]) {
    const r = await request(`${server.url}${path}`);
    assert.equal(r.status, 404, path);
    assert.ok(r.json.errors[0].message, path);
  }
  const post = await request(`${server.url}/api/hsds/demo/services`, { method: 'POST' });
  assert.equal(post.status, 405);
});
