// Signing in to the administration of a demo server, as the accounts the demo prints.
import assert from 'node:assert/strict';
import { request, postForm, cookiesFrom, hiddenField } from './http.mjs';

// The demo accounts printed at start: { role → { email, password, where } }, keyed by
// "role" or, for the second coordinator, "coordinator@susedna".
export async function demoAccounts(server, timeout = 10000) {
  const started = Date.now();
  for (;;) {
    const lines = [...server.stdout().matchAll(/^ {4}(\w+) \(([^)]*)\): (\S+) (\S+)$/gm)];
    if (lines.length >= 6) {
      const accounts = {};
      for (const [, role, where, email, password] of lines) {
        const key = accounts[role] ? `${role}@${where}` : role;
        accounts[key] = { role, where, email, password };
      }
      return accounts;
    }
    if (Date.now() - started > timeout) throw new Error(`no demo accounts in: ${server.stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A signed-in browser: keeps the session cookie and the CSRF token of its session.
export class AdminSession {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = undefined;
  }

  async signIn(email, password) {
    const page = await request(`${this.base}/admin/login`);
    assert.equal(page.status, 200);
    const login = cookiesFrom(page.headers).nm_login;
    const r = await postForm(`${this.base}/admin/login`,
                             [['_csrf', hiddenField(page.text, '_csrf')], ['email', email], ['password', password]],
                             { cookie: `nm_login=${login}` });
    const session = cookiesFrom(r.headers).nm_admin;
    if (r.status === 303 && session) {
      this.cookie = `nm_admin=${session}`;
      const home = await this.get('/admin');
      this.csrf = hiddenField(home.text, '_csrf');
    }
    return r;
  }

  get(path) {
    return request(`${this.base}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
  }

  // Sends a multipart/form-data form, as a browser does with <input type="file">: `fields` as
  // [name, value] pairs (the session's CSRF token added), `files` as { field, filename, content }.
  upload(path, fields = [], files = [], { cookie = this.cookie } = {}) {
    const form = new FormData();
    form.append('_csrf', this.csrf ?? '');
    for (const [name, value] of fields) form.append(name, value);
    for (const { field, filename, content, type = 'application/octet-stream' } of files) {
      form.append(field, new Blob([content], { type }), filename);
    }
    return request(`${this.base}${path}`, { method: 'POST', headers: cookie ? { cookie } : {}, body: form });
  }

  // Posts a form with the session's CSRF token (unless `csrf` is given, e.g. a wrong one).
  post(path, fields = [], { csrf = this.csrf } = {}) {
    const all = csrf === null ? fields : [['_csrf', csrf ?? ''], ...fields];
    return postForm(`${this.base}${path}`, all, { cookie: this.cookie || undefined });
  }
}

// Sessions of the demo accounts named by `keys` ("analyst", "coordinator@susedna" …), each signed
// in: { key → AdminSession }.
export async function signedInSessions(server, keys) {
  const accounts = await demoAccounts(server);
  const sessions = {};
  for (const key of keys) {
    sessions[key] = new AdminSession(server.url);
    const r = await sessions[key].signIn(accounts[key].email, accounts[key].password);
    assert.equal(r.status, 303, `${key} signs in`);
  }
  return sessions;
}
