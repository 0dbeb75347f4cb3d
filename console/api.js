// The admin API (docs/admin-api.md): JSON both ways, the session cookie sent by the
// browser, the CSRF token (from login or /session) on every POST.
let csrf = '';

export function setCsrf(token) { csrf = token || ''; }

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.retryAfter = retryAfter;
    this.field = body && body.field;
    this.code = body && body.code;
    this.fields = body && body.fields;
    this.body = body;
  }
}

async function call(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') {
    opt.headers['Content-Type'] = 'application/json';
    opt.headers['X-CSRF-Token'] = csrf;
    opt.body = typeof body === 'string' ? body : JSON.stringify(body || {});
  }
  const r = await fetch('/v1/admin/' + path, opt);
  let data = null;
  const text = await r.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!r.ok) throw new ApiError(r.status, data, Number(r.headers.get('Retry-After')) || 0);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);

// A POST whose answer is a file (the card preview's PNG): the Blob, or an ApiError.
export async function postBlob(path, body) {
  const r = await fetch('/v1/admin/' + path, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body || {}) });
  if (r.ok) return r.blob();
  let data = null;
  try { data = await r.json(); } catch { data = null; }
  throw new ApiError(r.status, data, Number(r.headers.get('Retry-After')) || 0);
}
