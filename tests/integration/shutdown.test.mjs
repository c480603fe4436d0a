// A graceful stop: on SIGTERM (systemd, a rolling restart behind nginx) the server stops taking
// connections, answers every request it has accepted, and exits. No response is stored without
// its client having been told, so a restart never leaves a respondent unsure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, uuid } from '../lib/server.mjs';
import { query } from '../lib/database.mjs';
import { validAnswers, apiPaths } from '../lib/citizens.mjs';

// One submission on a connection of its own (no keep-alive), so that every request is either
// refused at connect or accepted and answered.
function submit(url, submissionId) {
  const body = JSON.stringify({ submission_id: submissionId, answers: validAnswers() });
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (e) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

test('SIGTERM under load: accepted requests are answered, nothing is stored unacknowledged, the exit is clean', async () => {
  const server = await startServer();
  const url = apiPaths(server.url).responses;
  const outcomes = new Map(); // submission_id → outcome
  let stopping = false;
  const clients = Array.from({ length: 24 }, async () => {
    while (!stopping) {
      const id = uuid();
      outcomes.set(id, await submit(url, id));
    }
  });
  await new Promise((r) => setTimeout(r, 800));
  server.proc.kill('SIGTERM');
  const exited = await server.exited;
  stopping = true;
  await Promise.all(clients);

  assert.equal(exited.code, 0, `the server exits cleanly: ${server.stderr()}`);
  assert.match(server.stdout(), /needsmap stopped/);
  const acknowledged = [...outcomes].filter(([, o]) => o.status === 201).map(([id]) => id);
  assert.ok(acknowledged.length > 50, `load ran before the stop (${acknowledged.length} acknowledged)`);
  const failures = [...outcomes.values()].filter((o) => o.status !== 201);
  for (const o of failures) {
    // After the stop a client can only be refused (or reset before its connection was accepted);
    // no request gets an error status.
    assert.ok(o.error, `unexpected answer ${JSON.stringify(o)}`);
  }
  const stored = query(server.database, 'SELECT submission_id FROM responses', { json: true }).map((r) => r.submission_id);
  const unacknowledged = stored.filter((id) => outcomes.get(id)?.status !== 201);
  assert.deepEqual(unacknowledged, [], 'every stored response was acknowledged to its client');
  assert.equal(stored.length, acknowledged.length, 'every acknowledged response is stored');
  await server.stop();
});

test('a request still arriving when SIGTERM comes is read to its end and answered before the server exits', async () => {
  const server = await startServer();
  const { hostname, port } = new URL(server.url);
  const path = new URL(apiPaths(server.url).responses).pathname;
  const submissionId = uuid();
  const body = Buffer.from(JSON.stringify({ submission_id: submissionId, answers: validAnswers() }));
  const socket = net.connect(Number(port), hostname);
  let answer = '';
  socket.on('data', (d) => { answer += d; });
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.on('error', () => {});
  await new Promise((resolve) => socket.on('connect', resolve));
  // Half of the request now, the rest after the signal: a slow mobile connection mid-upload.
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
               `Content-Length: ${body.length}\r\n\r\n`);
  socket.write(body.subarray(0, 100));
  await new Promise((r) => setTimeout(r, 300));
  server.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  // The server no longer takes connections, but the one it accepted is still being served.
  const refused = await new Promise((resolve) => {
    const probe = net.connect(Number(port), hostname);
    probe.on('connect', () => { probe.destroy(); resolve(false); });
    probe.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
  assert.ok(refused, 'a new connection is refused once the server is stopping');
  socket.write(body.subarray(100));
  await closed;
  assert.match(answer, /^HTTP\/1\.1 201 /, `the request was answered: ${answer.slice(0, 200)}`);
  assert.match(answer, /\r\nConnection: close\r\n/i, 'and told the client that the connection closes');
  const exited = await server.exited;
  assert.equal(exited.code, 0, server.stderr());
  const stored = query(server.database, 'SELECT submission_id FROM responses', { json: true });
  assert.deepEqual(stored.map((r) => r.submission_id), [submissionId]);
  await server.stop();
});
