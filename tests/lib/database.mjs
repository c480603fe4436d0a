// The database behind a test, whichever backend it is: an SQLite file (the default), or a fresh
// database in a PostgreSQL cluster when NEEDSMAP_TEST_POSTGRES names one (a base URL such as
// postgresql://needsmap@127.0.0.1:PORT, see scripts/postgres.sh). Tests look into it through the
// command-line tools the backend comes with (sqlite3; psql and pg_dump), never through the code
// under test, and ask the same questions of both so that every assertion means the same thing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// The cluster the tests run against, as a URL without a database name; undefined for SQLite.
export const postgresBase = process.env.NEEDSMAP_TEST_POSTGRES
  ? process.env.NEEDSMAP_TEST_POSTGRES.replace(/^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?/, '$1')
  : undefined;

export function isPostgres(database) {
  return /^postgres(ql)?:\/\//.test(database);
}

// A URL of the same cluster with another database name (keeping any ?parameters).
function withDatabaseName(url, name) {
  return url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?/, `$1/${name}`);
}

function run(command, args, { input, allowFailure = false } = {}) {
  const r = spawnSync(command, args, {
    encoding: 'utf8', input, timeout: 120000, maxBuffer: 512 * 1024 * 1024,
    // A cluster that does not answer fails the test in seconds rather than at the timeout.
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (r.error) throw new Error(`${command}: ${r.error.message}`);
  if (r.status !== 0 && !allowFailure) {
    throw new Error(`${command} ${args.filter((a) => !a.includes('\n')).join(' ')}: ${r.stderr.trim()}`);
  }
  return r;
}

const quoteLiteral = (s) => `'${String(s).replace(/'/g, "''")}'`;
const quoteIdentifier = (s) => `"${String(s).replace(/"/g, '""')}"`;

// -X: no ~/.psqlrc settings; -w: never wait for a password; -At: bare values, as sqlite3 gives.
function psql(url, args, options) {
  return run('psql', ['-X', '-w', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', url, ...args], options);
}

function pgDump(database, args) {
  return run('pg_dump', ['--no-password', '--no-owner', '--no-privileges', ...args, '-d', database]).stdout;
}

// Databases made by freshDatabase that no one dropped yet: dropped when the test process exits,
// so that a test that threw before its cleanup leaves no database behind in the cluster.
const created = new Set();
process.on('exit', () => {
  for (const database of created) {
    try { dropDatabase(database); } catch { /* the cluster may already be gone */ }
  }
});

// A new, empty database for one test: a file name in `dir` for SQLite, a database of its own in
// the PostgreSQL cluster otherwise. `file` names the SQLite file (and says what the database is for).
export function freshDatabase(dir, file = 'needsmap.db') {
  if (!postgresBase) return join(dir, file);
  const name = `needsmap_test_${randomBytes(8).toString('hex')}`;
  psql(withDatabaseName(postgresBase, 'postgres'), ['-c', `CREATE DATABASE ${name}`]);
  const database = withDatabaseName(postgresBase, name);
  created.add(database);
  return database;
}

// Removes a database: the file and its companions for SQLite; DROP DATABASE for PostgreSQL,
// ending the sessions still connected to it (a server the test killed may leave some behind).
export function dropDatabase(database) {
  created.delete(database);
  if (!isPostgres(database)) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(database + suffix, { force: true });
    return;
  }
  const name = decodeURIComponent(new URL(database.replace(/^postgres(ql)?:/, 'http:')).pathname.slice(1));
  psql(withDatabaseName(database, 'postgres'), ['-c', `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`]);
}

// Runs SQL on the database. Plain: the rows as text, columns separated by "|" and rows by
// newlines (sqlite3's and psql -At's format alike). With json: true, the rows as objects, with
// integer columns as numbers and NULL as null on both backends.
export function query(database, sql, { json = false } = {}) {
  if (!isPostgres(database)) {
    const args = json ? ['-json', database, sql] : [database, sql];
    const r = run('sqlite3', args, { allowFailure: true });
    if (r.status !== 0) throw new Error(`sqlite3 ${sql}: ${r.stderr}`);
    if (!json) return r.stdout.trim();
    return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
  }
  if (!json) return psql(database, ['-c', sql]).stdout.trim();
  // json_agg writes bigint and integer columns as JSON numbers, as sqlite3 -json does INTEGER ones.
  const inner = sql.trim().replace(/;+\s*$/, '');
  const out = psql(database, ['-c', `SELECT coalesce(json_agg(t), '[]') FROM (${inner}) t`]).stdout;
  return JSON.parse(out);
}

export function countRows(database, table = 'responses', where = '') {
  return Number(query(database, `SELECT count(*) FROM ${table} ${where}`));
}

// The ids of the responses stored so far, to find the ones a test adds (responses are keyed by
// random ids, so there is no arrival order to ask the database for).
export function responseIds(database) {
  return new Set(query(database, 'SELECT id FROM responses', { json: true }).map((r) => r.id));
}

// The responses stored since `before` (a set from responseIds), with all their columns.
export function responsesSince(database, before) {
  return query(database, 'SELECT * FROM responses', { json: true }).filter((r) => !before.has(r.id));
}

// Schemas that belong to PostgreSQL itself rather than to the application.
const userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') " +
  "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

// Every table in the database, by name: all of sqlite_master's tables (SQLite's own included);
// every table of the application's schemas on PostgreSQL (qualified when not in public).
export function tableNames(database) {
  if (!isPostgres(database)) {
    return query(database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", { json: true })
      .map((t) => t.name);
  }
  return query(database, `
    SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE format('%I.%I', n.nspname, c.relname) END AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${userSchemas}
     ORDER BY 1`, { json: true }).map((t) => t.name);
}

// INTEGER for SQLite's integer and PostgreSQL's bigint, integer and smallint; TEXT for text;
// any other type upper-cased as the database names it.
function normalType(type) {
  const upper = (type ?? '').trim().toUpperCase();
  if (/^(BIG|SMALL)?INT(EGER)?$|^INT[248]$/.test(upper)) return 'INTEGER';
  return upper;
}

// The columns of a table in order: [{ name, type, default }], default being the default's SQL
// expression as the database shows it, or null.
export function tableColumns(database, table) {
  if (!isPostgres(database)) {
    return query(database, `PRAGMA table_info(${quoteIdentifier(table)})`, { json: true })
      .map((c) => ({ name: c.name, type: normalType(c.type), default: c.dflt_value ?? null }));
  }
  // A qualified name ("schema"."table", as tableNames gives it) or a table on the search path.
  const relation = table.includes('.') ? quoteLiteral(table) : quoteLiteral(quoteIdentifier(table));
  return query(database, `
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity AS identity
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ${relation}::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`, { json: true })
    .map((c) => ({
      name: c.name,
      type: normalType(c.type),
      // An identity column's values come from a sequence; say so, as a serial's default does.
      default: c.default ?? (c.identity ? 'GENERATED AS IDENTITY' : null),
    }));
}

// The SQL that creates the table, with its constraints, indexes and triggers.
export function schemaText(database, table) {
  if (!isPostgres(database)) return query(database, `.schema ${table}`);
  return pgDump(database, ['--schema-only', '-t', table]);
}

// The whole database as SQL text.
export function dump(database) {
  if (!isPostgres(database)) return query(database, '.dump');
  return pgDump(database, []);
}

// 'ok', or what is wrong. SQLite: PRAGMA integrity_check. PostgreSQL: amcheck's bt_index_check
// (with heapallindexed, so every row of the table must be found in the index) on every btree
// index of the application's tables, and verify_heapam on every table and its TOAST data. The
// extension is created inside a transaction that is rolled back, so the check leaves nothing behind.
export function integrityCheck(database) {
  if (!isPostgres(database)) return query(database, 'PRAGMA integrity_check');
  const script = `
BEGIN;
CREATE EXTENSION IF NOT EXISTS amcheck;
SELECT n.nspname AS amcheck_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'amcheck' \\gset
SELECT 'checked', c.oid::regclass::text, :"amcheck_schema".bt_index_check(c.oid, true)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE am.amname = 'btree' AND c.relkind = 'i' AND c.relpersistence <> 't' AND i.indisvalid AND i.indisready
   AND ${userSchemas}
 ORDER BY 2;
SELECT 'corrupt', c.oid::regclass::text,
       format('block %s, item %s, attribute %s: %s', v.blkno, v.offnum, v.attnum, v.msg)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL :"amcheck_schema".verify_heapam(c.oid, check_toast => true) v
 WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND ${userSchemas};
SELECT 'tables', count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND ${userSchemas};
ROLLBACK;
`;
  const r = psql(database, ['-f', '-'], { input: script, allowFailure: true });
  // An index that fails its check raises an error, which ends the script.
  if (r.status !== 0) return r.stderr.trim() || `psql exited with ${r.status}`;
  const lines = r.stdout.trim().split('\n').map((l) => l.split('|'));
  const problems = lines.filter(([kind]) => kind === 'corrupt').map(([, table, message]) => `${table}: ${message}`);
  if (problems.length) return problems.join('\n');
  const tables = Number(lines.find(([kind]) => kind === 'tables')?.[1]);
  const indexes = lines.filter(([kind]) => kind === 'checked').length;
  if (!(tables > 0) || indexes === 0) return `nothing to check: ${tables} tables, ${indexes} btree indexes`;
  return 'ok';
}

function filesUnder(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

// The data directory of the cluster the tests run against, when the caller named the cluster's
// directory in NEEDSMAP_TEST_POSTGRES_DATA and this process may read it; otherwise undefined.
function readableDataDirectory() {
  const root = process.env.NEEDSMAP_TEST_POSTGRES_DATA;
  if (!root) return undefined;
  for (const dir of [root, join(root, 'data')]) {
    if (!existsSync(join(dir, 'PG_VERSION'))) continue;
    try {
      accessSync(join(dir, 'base'), constants.R_OK | constants.X_OK);
      accessSync(join(dir, 'pg_wal'), constants.R_OK | constants.X_OK);
      return dir;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// The files that hold the database's data as bytes on disk, to search them raw. SQLite: the
// database file and whichever of its -wal, -shm and -journal companions exist. PostgreSQL: after
// a CHECKPOINT (so that rows have reached the table files, not only the write-ahead log), the
// files of this database (base/<oid>) and the write-ahead log (pg_wal, which every database of
// the cluster shares: run the tests on a throw-away cluster, see scripts/postgres.sh), when the
// data directory can be read (see readableDataDirectory); [] when it cannot. The rest of the
// cluster directory (its configuration, its log) is not row data.
export function databaseFiles(database) {
  if (!isPostgres(database)) {
    return ['', '-wal', '-shm', '-journal'].map((s) => database + s).filter((f) => existsSync(f));
  }
  const data = readableDataDirectory();
  if (!data) return [];
  const served = query(database, 'SHOW data_directory');
  if (realpathSync(served) !== realpathSync(data)) {
    throw new Error(`NEEDSMAP_TEST_POSTGRES_DATA is ${data}, but ${database} keeps its data in ${served}`);
  }
  query(database, 'CHECKPOINT');
  const oid = query(database, 'SELECT oid FROM pg_database WHERE datname = current_database()');
  if (!/^\d+$/.test(oid)) throw new Error(`no oid for ${database}: ${oid}`);
  return [...filesUnder(join(data, 'base', oid)), ...filesUnder(join(data, 'pg_wal'))];
}

// A file's bytes, or none if it is gone: PostgreSQL removes and recycles write-ahead log
// segments at checkpoints, which may come between listing them and reading them.
function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch (e) {
    if (e.code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
}

// Everything that holds the database's data as stored, to search it for what must not be kept:
// [{ source, onDisk, read() → Buffer }]. SQLite: its files (databaseFiles). PostgreSQL: pg_dump's
// output (every row of the database as the server hands it out), and the files on disk when the
// data directory can be read (databaseFiles), each read only when asked for, as the write-ahead
// log may be large.
export function storedData(database) {
  const files = databaseFiles(database).map((file) => ({ source: file, onDisk: true, read: () => readIfThere(file) }));
  if (!isPostgres(database)) return files;
  const dumped = dump(database);
  return [{ source: 'pg_dump', onDisk: false, read: () => Buffer.from(dumped) }, ...files];
}
