// Feedback pushed as a kiosk pushes it (POST /v1/responses with its token), for the
// results tests.
import assert from 'node:assert/strict';

export function uuid(n) { return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`; }

export async function push(url, token, rows) {
  const r = await fetch(url + '/v1/responses', { method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ responses: rows }) });
  const j = await r.json();
  assert.equal(r.status, 200, JSON.stringify(j));
  assert.equal(j.refused, undefined, JSON.stringify(j));
  return j;
}
