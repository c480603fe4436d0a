// Plain HTTP helpers for integration tests: JSON and form posts, cookies by hand, a little HTML
// reading. (Looking into the database: database.mjs.)

// fetch that never follows redirects and always reads the body.
// Returns { status, headers, text, bytes, json }; json is undefined unless the body parses.
export async function request(url, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  const buffer = Buffer.from(await response.arrayBuffer());
  const text = buffer.toString('utf8');
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, text, bytes: buffer.length, json };
}

export function postJson(url, value, headers = {}) {
  const body = typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value);
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

// fields: an array of [name, value] pairs (names may repeat), or a raw body string/Buffer.
export function postForm(url, fields, { cookie, headers = {} } = {}) {
  const body = Array.isArray(fields) ? new URLSearchParams(fields).toString() : fields;
  const h = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
  if (cookie) h.cookie = cookie;
  return request(url, { method: 'POST', headers: h, body });
}

// The "name=value" part of each Set-Cookie header, by cookie name.
export function cookiesFrom(headers) {
  const jar = {};
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return jar;
}

export function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&apos;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// The value of <input type="hidden" name="…" value="…">.
export function hiddenField(html, name) {
  const m = html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`));
  return m ? unescapeHtml(m[1]) : undefined;
}

export function formAction(html) {
  const m = html.match(/<form method="post" action="([^"]*)"/);
  return m ? unescapeHtml(m[1]) : undefined;
}

export function elementIds(html) {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));
}

// Every form field name on the page (inputs, selects, textareas).
export function fieldNames(html) {
  return new Set([...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sname="([^"]*)"/g)]
    .map((m) => unescapeHtml(m[1])));
}

export function heading(html) {
  const m = html.match(/<h1>([^<]*)<\/h1>/);
  return m ? unescapeHtml(m[1]) : undefined;
}

// The language switch: [{ tag, name, href (undefined for the current language) }].
export function languageLinks(html) {
  const nav = html.match(/<nav class="languages"[\s\S]*?<\/nav>/);
  if (!nav) return [];
  const links = [];
  for (const m of nav[0].matchAll(/<a href="([^"]*)" lang="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    links.push({ href: unescapeHtml(m[1]), tag: m[2], name: m[3] });
  }
  for (const m of nav[0].matchAll(/<span aria-current="true" lang="([^"]*)">([^<]*)<\/span>/g)) {
    links.push({ href: undefined, tag: m[1], name: m[2] });
  }
  return links;
}

// The Content-Security-Policy as a map of directive → list of sources.
export function cspDirectives(headers) {
  const policy = headers.get('content-security-policy') ?? '';
  const map = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

// Looking into the database moved to database.mjs (SQLite or PostgreSQL); these names stay for
// the tests that import them from here.
export { query as sqlite, countRows, responseIds, responsesSince } from './database.mjs';
