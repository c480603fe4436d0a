// Starts the real needsmap binary on a free loopback port for a test, and stops it after.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, dropDatabase } from './database.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.NEEDSMAP_BIN ?? join(repoRoot, 'build', 'needsmap');

// Runs a needsmap command to completion; returns { status, stdout, stderr }.
export function needsmap(args, options = {}) {
  const r = spawnSync(binary, args, { encoding: 'utf8', ...options });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function temporaryDirectory(prefix = 'needsmap-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

// Servers still running when the test process exits (a test that threw before its cleanup) are
// killed rather than left behind.
const running = new Set();
process.on('exit', () => { for (const proc of running) proc.kill('SIGKILL'); });

// Starts `needsmap serve`. Options: demo (default true), db (default: a fresh database, see
// freshDatabase), extraArgs, rateLimit (default 'off').
export async function startServer({ demo = true, db, extraArgs = [], rateLimit = 'off' } = {}) {
  const dir = db ? null : temporaryDirectory();
  const database = db ?? freshDatabase(dir);
  const args = ['serve', '--db', database, '--host', '127.0.0.1', '--port', '0',
                '--rate-limit', rateLimit, ...extraArgs];
  if (demo) args.push('--demo');
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.stdout.on('data', (d) => { stdout += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start: ${out} ${stderr}`));
    }, 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  proc.stdout.resume();
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    database,
    proc,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    // SIGTERM and wait; the database and the directory are removed unless the test passed its own
    // db. Stopping again is harmless.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const result = await exited;
      if (dir) {
        dropDatabase(database);
        rmSync(dir, { recursive: true, force: true });
      }
      return result;
    },
  };
}

// A random UUID v4 for submission ids.
export function uuid() {
  return crypto.randomUUID();
}
