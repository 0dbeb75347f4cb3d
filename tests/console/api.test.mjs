// The admin API against the real server: the endpoint x role matrix, CSRF and
// cross-site refusals, bad input naming its field with nothing changed, sessions
// ending on logout and on expiry, and login throttling that survives a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import net from 'node:net';
import { tmpdir, serverDb, sql, PG, addUser, startServer, Client, SOURCE, startSrcServe, writeSources } from './harness.mjs';

const PW = 'correct horse battery';
const ROLES = ['administrator', 'editor', 'coordinator', 'viewer'];
let dir, db, srv, data;
const as = {};

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  for (const r of ROLES) addUser(db, r, r, PW);
  data = await startSrcServe();
  srv = await startServer(db, ['--sources', writeSources(dir, data.base)]);
  for (const r of ROLES) {
    as[r] = new Client(srv.url);
    assert.equal((await as[r].login(r, PW)).status, 200);
  }
  assert.equal((await as.administrator.req('POST', 'catalog/import?apply=1', CONTENT)).status, 200);
  // A kiosk whose settings every role reads and the allowed roles change.
  assert.equal((await as.administrator.req('POST', 'kiosks', { name: 'set-k' })).status, 201);
  // A kiosk for each role to revoke, and accounts to change.
  for (const r of ROLES) {
    assert.equal((await as.administrator.req('POST', 'kiosks', { name: 'rv-' + r })).status, 201);
    assert.equal((await as.administrator.req('POST', 'users', { name: 'ch-' + r, role: 'viewer', password: PW })).status, 201);
  }
  // A comment for each role to hide, from a kiosk.
  const fk = await as.administrator.req('POST', 'kiosks', { name: 'fb-kiosk' });
  const pushed = await fetch(srv.url + '/v1/responses', { method: 'POST',
    headers: { Authorization: 'Bearer ' + fk.json.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ responses: ROLES.map((r, i) => ({ uuid: FB_UUID(r), kind: 'feedback',
      payload: { type: 'feedback', hour: '2026-11-25T12Z', score: 1 + i, context: 'home', comment: 'comment ' + r } })) }) });
  assert.equal(pushed.status, 200);
  // A workshop the kiosk sent when it ended, for every role to read.
  const ws = await fetch(srv.url + '/v1/responses', { method: 'POST',
    headers: { Authorization: 'Bearer ' + fk.json.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ responses: [{ uuid: '00000000-0000-4000-8000-0000000000a1', kind: 'workshop',
      payload: { type: 'workshop', workshop: WS_ID, survey: 'ws-x', version: 1, label: 'W', started: '2026-11-25T10Z',
        ended: '2026-11-25T12Z', groups: [] } }] }) });
  assert.equal(ws.status, 200);
});

after(async () => { await srv.stop(); await data.stop(); });

// Every endpoint with the roles allowed and a valid request for each role.
const A = ['administrator'];
const AE = ['administrator', 'editor'];
const AC = ['administrator', 'coordinator'];
const SURVEY = fs.readFileSync(path.join(SOURCE, 'assets/content/surveys/library-feedback.json'), 'utf8');
const CONTENT = { format: 'kiosk-content', version: 1, items: [
  { id: 'v-hall', kind: 'venue', name: { fi: 'Sali' }, price: 'free' },
  ...['administrator', 'editor', 'coordinator', 'viewer'].map((r) => ({ id: 'del-' + r, kind: 'venue', name: { fi: 'Poistettava' }, price: 'free' }))] };
const ALL = ROLES;
const WS_ID = '00000000-0000-4000-8000-0000000000a0';
const FB_UUID = (r) => `00000000-0000-4000-8000-00000000000${ROLES.indexOf(r)}`;
// A stream's status (and its JSON when refused) without waiting for its end.
async function streamHead(c, p) {
  const ac = new AbortController();
  const r = await fetch(c.base + '/v1/admin/' + p, { headers: c.cookie ? { Cookie: c.cookie } : {}, signal: ac.signal });
  let json = null, text = '';
  if (r.status !== 200) {
    text = await r.text();
    try { json = JSON.parse(text); } catch { json = null; }
  }
  ac.abort();
  return { status: r.status, json, text };
}
const ENDPOINTS = [
  { m: 'GET', p: () => 'session', ok: ALL },
  { m: 'GET', p: () => 'kiosks', ok: ALL },
  { m: 'POST', p: () => 'kiosks', b: (r) => ({ name: 'new-' + r }), ok: A },
  { m: 'POST', p: (r) => `kiosks/rv-${r}/revoke`, ok: A },
  { m: 'GET', p: () => 'users', ok: A },
  { m: 'POST', p: () => 'users', b: (r) => ({ name: 'u-' + r, role: 'viewer', password: PW }), ok: A },
  { m: 'POST', p: (r) => `users/ch-${r}`, b: () => ({ role: 'editor' }), ok: A },
  { m: 'GET', p: () => 'audit', ok: A },
  { m: 'GET', p: () => 'catalog', ok: ALL },
  { m: 'GET', p: () => 'catalog/export', ok: ALL },
  { m: 'GET', p: () => 'areas', ok: ALL },
  { m: 'POST', p: () => 'catalog/import', b: () => CONTENT, ok: AE },
  { m: 'GET', p: () => 'catalog/items/v-hall', ok: ALL },
  { m: 'POST', p: () => 'catalog/items/v-hall', b: (r) => ({ item: { id: 'v-hall', kind: 'venue', name: { fi: 'Sali ' + r }, price: 'free' } }), ok: AE },
  { m: 'POST', p: (r) => `catalog/items/del-${r}/delete`, ok: AE },
  { m: 'POST', p: (r) => `areas/ar-${r}`, b: (r) => ({ area: { id: `ar-${r}`, city: 'Porvoo', type: 'district', name: { fi: 'Alue ' + r } } }), ok: AE },
  { m: 'POST', p: (r) => `areas/ar-${r}/delete`, ok: AE },
  // The card preview draws and stores nothing: every role may render one.
  { m: 'POST', p: () => 'catalog/preview', b: () => ({ item: { id: 'v-prev', kind: 'venue', name: { fi: 'Esikatselu' }, price: 'free' } }), ok: ALL },
  { m: 'GET', p: () => 'docs?type=survey', ok: ALL },
  { m: 'POST', p: () => 'docs/import?type=survey', b: () => SURVEY, ok: AC },
  { m: 'GET', p: () => 'sources', ok: ALL },
  // One source per allowed role, so the second start is not refused as running.
  { m: 'POST', p: (r) => `sources/${r === 'editor' ? 'varaamo' : 'linkedevents'}/run`, ok: AE },
  { m: 'GET', p: () => 'results/feedback', ok: ALL },
  { m: 'GET', p: () => 'results/feedback/comments', ok: ALL },
  { m: 'GET', p: () => 'results/feedback/export?format=csv', ok: ALL },
  { m: 'POST', p: (r) => `results/feedback/comments/${FB_UUID(r)}/hide`, ok: AC },
  { m: 'GET', p: () => 'workshops', ok: ALL },
  { m: 'GET', p: () => `workshops/${WS_ID}`, ok: ALL },
  { m: 'GET', p: () => `workshops/${WS_ID}/events`, ok: ALL, stream: true },
  { m: 'GET', p: () => 'kiosks/set-k/settings', ok: ALL },
  { m: 'POST', p: () => 'kiosks/set-k/settings', b: (r) => ({ place: 'Paikka ' + r, idle_s: 90 }), ok: AC },
  { m: 'POST', p: () => 'docs/publish?type=survey', b: () => ({ id: 'library-feedback', to: 'all' }), ok: AC },
  // survey results (hiding a text answer: results_survey.test.mjs)
  { m: 'GET', p: () => 'results/surveys', ok: ALL },
  { m: 'GET', p: () => 'results/surveys/library-feedback', ok: ALL },
  { m: 'GET', p: () => 'results/surveys/library-feedback/texts?question=comment', ok: ALL },
  { m: 'GET', p: () => 'results/surveys/library-feedback/export?format=csv', ok: ALL },
];

test('every endpoint x every role: allowed roles succeed, the others get 403', async () => {
  for (const e of ENDPOINTS) {
    for (const r of ROLES) {
      const res = e.stream ? await streamHead(as[r], e.p(r)) : await as[r].req(e.m, e.p(r), e.b ? e.b(r) : undefined);
      const where = `${e.m} ${e.p(r)} as ${r}: ${res.status} ${res.text}`;
      if (e.ok.includes(r)) assert.ok(res.status >= 200 && res.status < 300, where);
      else {
        assert.equal(res.status, 403, where);
        assert.match(res.json.error, new RegExp(`${r} role may not`), where);
      }
    }
  }
  // Refused changes changed nothing.
  const kiosks = (await as.administrator.req('GET', 'kiosks')).json.kiosks.map((k) => k.name);
  assert.ok(kiosks.includes('new-administrator'));
  for (const r of ROLES.slice(1)) assert.ok(!kiosks.includes('new-' + r), r);
  const comments = (await as.viewer.req('GET', 'results/feedback/comments')).json.comments;
  for (const r of ROLES) {
    const c = comments.find((x) => x.uuid === FB_UUID(r));
    assert.equal(Boolean(c.hidden), AC.includes(r), r);
  }
  // (The source runs started above add their own items, in the background.)
  const live = (await as.administrator.req('GET', 'catalog')).json.items.map((i) => i.id)
    .filter((id) => !/^(linkedevents|varaamo)\./.test(id)).sort();
  assert.deepEqual(live, ['del-coordinator', 'del-viewer', 'v-hall']);
  const docs = (await as.administrator.req('GET', 'docs?type=survey')).json.docs;
  assert.deepEqual(docs.map((d) => [d.id, d.version]), [['library-feedback', 1]], 'imported once, then unchanged');
  // The last allowed role's settings stand; refused ones changed nothing.
  const set = (await as.administrator.req('GET', 'kiosks/set-k/settings')).json.settings;
  assert.deepEqual(set, { place: 'Paikka coordinator', idle_s: 90 });
  const revoked = (await as.administrator.req('GET', 'kiosks')).json.kiosks
    .filter((k) => k.health === 'revoked').map((k) => k.name);
  assert.deepEqual(revoked, ['rv-administrator']);
});

test('without a session every endpoint but login answers 401', async () => {
  const anon = new Client(srv.url);
  for (const e of ENDPOINTS) {
    const res = e.stream ? await streamHead(anon, e.p('x')) : await anon.req(e.m, e.p('x'), e.b ? e.b('x') : undefined);
    assert.equal(res.status, 401, `${e.m} ${e.p('x')}`);
  }
});

test('a POST without the CSRF token, from another origin or not as JSON changes nothing', async () => {
  const c = as.administrator;
  let r = await c.req('POST', 'kiosks', { name: 'csrf-1' }, { 'X-CSRF-Token': null });
  assert.equal(r.status, 403);
  assert.match(r.json.error, /CSRF/);
  r = await c.req('POST', 'kiosks', { name: 'csrf-2' }, { 'X-CSRF-Token': 'a'.repeat(64) });
  assert.equal(r.status, 403);
  r = await c.req('POST', 'kiosks', { name: 'csrf-3' }, { Origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  assert.match(r.json.error, /cross-site/);
  r = await c.req('POST', 'kiosks', 'name=csrf-4', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 415);
  // Another account's token does not fit this session.
  r = await c.req('POST', 'kiosks', { name: 'csrf-5' }, { 'X-CSRF-Token': as.viewer.csrf });
  assert.equal(r.status, 403);
  const names = (await c.req('GET', 'kiosks')).json.kiosks.map((k) => k.name);
  for (const n of ['csrf-1', 'csrf-2', 'csrf-3', 'csrf-4', 'csrf-5']) assert.ok(!names.includes(n), n);
});

test('bad input: a 4xx naming the field, nothing changed', async () => {
  const c = as.administrator;
  const before = (await c.req('GET', 'users')).json.users.length;
  const cases = [
    [{ name: 'bad name!', role: 'viewer', password: PW }, 'name'],
    [{ name: 'ok1', role: 'king', password: PW }, 'role'],
    [{ name: 'ok2', role: 'viewer', password: 'short' }, 'password'],
    [{ name: 'ok3', role: 'viewer' }, 'password'],
    [{ name: 'ok4', role: 'coordinator', password: PW, kiosks: 'a,,b' }, 'kiosks'],
    [{ name: 42, role: 'viewer', password: PW }, 'name'],
    [{ name: 'administrator', role: 'viewer', password: PW }, 'name'],
  ];
  for (const [body, field] of cases) {
    const r = await c.req('POST', 'users', body);
    assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(body));
    assert.equal(r.json.field, field, JSON.stringify(r.json));
  }
  let r = await c.req('POST', 'users', '{"name": "x", "name": "y"}');
  assert.equal(r.status, 400);
  // An ordinary request announcing more than 1 MiB is answered before its body is
  // read (headers only here, so the answer cannot race the upload).
  const status = await new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const sock = net.connect(Number(u.port), u.hostname, () => {
      sock.write(`POST /v1/admin/kiosks HTTP/1.1\r\nHost: ${u.host}\r\nCookie: ${c.cookie}\r\n` +
        `X-CSRF-Token: ${c.csrf}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    });
    let got = '';
    sock.on('data', (d) => { got += d; if (/\r\n/.test(got)) { sock.destroy(); resolve(Number(got.split(' ')[1])); } });
    sock.on('error', reject);
  });
  assert.equal(status, 413, 'an ordinary request over 1 MiB');
  r = await c.req('POST', 'kiosks', { name: 'x'.repeat(65) });
  assert.equal(r.json.field, 'name');
  r = await c.req('GET', 'catalog?limit=500');
  assert.equal(r.status, 200, 'the largest page');
  r = await c.req('GET', 'catalog?limit=501');
  assert.equal(r.json.field, 'limit');
  r = await c.req('GET', 'catalog?kind=spaceship');
  assert.equal(r.json.field, 'kind');
  r = await c.req('GET', 'audit?limit=9999');
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'limit');
  assert.equal((await c.req('GET', 'users')).json.users.length, before);
  // The last administrator cannot be demoted.
  r = await c.req('POST', 'users/administrator', { role: 'viewer' });
  assert.equal(r.status, 409);
  assert.equal(r.json.field, 'role');
});

test('a coordinator limited to kiosks sees only those', async () => {
  addUser(db, 'limited', 'coordinator', PW, 'rv-editor,rv-viewer');
  const c = new Client(srv.url);
  assert.equal((await c.login('limited', PW)).status, 200);
  const names = (await c.req('GET', 'kiosks')).json.kiosks.map((k) => k.name).sort();
  assert.deepEqual(names, ['rv-editor', 'rv-viewer']);
});

test('the audit log has who, what and when, never a password or token; filters work', async () => {
  const c = as.administrator;
  const r = await c.req('GET', 'audit?limit=500');
  assert.equal(r.status, 200);
  const all = JSON.stringify(r.json);
  assert.ok(!all.includes(PW));
  assert.ok(!all.includes(c.cookie.split('=')[1]));
  const add = r.json.entries.find((e) => e.action === 'kiosk.add' && e.target === 'new-administrator');
  assert.equal(add.user, 'administrator');
  assert.ok(Math.abs(add.at - Date.now() / 1000) < 600);
  const users = (await c.req('GET', 'audit?action=user.')).json.entries;
  assert.ok(users.length > 0 && users.every((e) => e.action.startsWith('user.')));
  const mine = (await c.req('GET', 'audit?user=viewer')).json.entries;
  assert.ok(mine.every((e) => e.user === 'viewer'));
  const page = await c.req('GET', 'audit?limit=2');
  assert.equal(page.json.entries.length, 2);
  const next = await c.req('GET', `audit?limit=2&before=${page.json.next_before}`);
  assert.ok(next.json.entries[0].id < page.json.entries[1].id + 1);
  // The command line's user-add is logged too.
  assert.ok(r.json.entries.some((e) => e.action === 'user.add' && e.user === '' && e.target === 'viewer'));
});

test('logout ends the session on the server; so does expiry', async () => {
  const c = new Client(srv.url);
  assert.equal((await c.login('editor', PW)).status, 200);
  const r = await c.req('POST', 'logout');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await c.req('GET', 'session')).status, 401);

  const d = new Client(srv.url);
  const login = await d.login('editor', PW);
  assert.match(login.headers.get('set-cookie'), /HttpOnly; Secure; SameSite=Strict/);
  assert.equal((await d.req('GET', 'session')).status, 200);
  sql(db, 'UPDATE admin_session SET expires = 1');
  assert.equal((await d.req('GET', 'session')).status, 401);
  for (const r2 of ROLES) assert.equal((await as[r2].login(r2, PW)).status, 200);
});

test('disabling an account ends its sessions', async () => {
  addUser(db, 'leaver', 'viewer', PW);
  const c = new Client(srv.url);
  assert.equal((await c.login('leaver', PW)).status, 200);
  assert.equal((await as.administrator.req('POST', 'users/leaver', { disabled: true })).status, 200);
  assert.equal((await c.req('GET', 'kiosks')).status, 401);
  assert.equal((await c.login('leaver', PW)).status, 401);
});

test('wrong passwords until throttled, per account and per address, across a restart', async () => {
  const tdir = tmpdir();
  const tdb = serverDb(tdir);
  addUser(tdb, 'thr', 'viewer', PW);
  let s = await startServer(tdb);
  const sleep = (sec) => new Promise((r) => setTimeout(r, sec * 1000));
  try {
    let c = new Client(s.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.login('thr', 'wrong password ' + i)).status, 401);
    // From the third failure on each wait doubles (1, 2, 4, 8 s): fail on until the
    // wait is long enough to outlast a restart on a busy machine.
    let r, wait = 0, fails = 3;
    for (let i = 0; i < 12 && wait < 8; i++) {
      r = await c.login('thr', 'wrong password');
      if (r.status === 401) { fails++; continue; }
      assert.equal(r.status, 429);
      wait = Number(r.headers.get('retry-after'));
      if (wait < 8) await sleep(wait);
    }
    assert.ok(wait >= 8, 'the wait grew');
    r = await c.login('thr', PW);
    assert.equal(r.status, 429, 'the right password is not even tried while throttled');
    await s.stop();
    s = await startServer(tdb);
    c = new Client(s.url);
    r = await c.login('thr', PW);
    assert.equal(r.status, 429, 'the delay survives a restart');
    // Per address: ten failures in all over any names, then every name from this
    // address waits.
    for (; fails < 10; fails++) assert.equal((await c.login('nobody' + fails, 'x')).status, 401);
    r = await c.login('someone-else', 'x');
    assert.equal(r.status, 429);
  } finally {
    await s.stop();
  }
});

test('--console-listen: the console on its own address, not on the sync port', async () => {
  const tdir = tmpdir();
  const tdb = serverDb(tdir);
  addUser(tdb, 'anna', 'administrator', PW);
  const s = await startServer(tdb, ['--console-listen', '127.0.0.1:0']);
  try {
    assert.notEqual(s.consoleUrl, s.url);
    const onConsole = new Client(s.consoleUrl);
    assert.equal((await onConsole.login('anna', PW)).status, 200);
    assert.equal((await fetch(s.consoleUrl + '/console/')).status, 200);
    const onSync = new Client(s.url);
    assert.equal((await onSync.login('anna', PW)).status, 404);
    assert.equal((await fetch(s.url + '/console/')).status, 404);
    // The sync protocol stays where it was, and only there.
    assert.equal((await fetch(s.url + '/v1/health')).status, 200);
    assert.equal((await fetch(s.consoleUrl + '/v1/health')).status, 404);
    assert.equal((await fetch(s.consoleUrl + '/x')).status, 404);
  } finally {
    await s.stop();
  }
});

test('every console text exists in fi, sv and en, and every key the pages use is there', async () => {
  const { TABLE } = await import(path.join(SOURCE, 'console/i18n.js'));
  for (const [k, row] of Object.entries(TABLE)) {
    assert.equal(row.length, 3, k);
    for (const v of row) assert.ok(typeof v === 'string' && v.length > 0, k);
  }
  const files = ['app.js', 'ui.js', ...fs.readdirSync(path.join(SOURCE, 'console/pages')).map((f) => 'pages/' + f)];
  for (const f of files) {
    const src = fs.readFileSync(path.join(SOURCE, 'console', f), 'utf8');
    for (const m of src.matchAll(/\bt\('([A-Za-z_]+)'[,)]/g)) assert.ok(m[1] in TABLE, `${f}: ${m[1]}`);
  }
});

test('kiosk health follows the documented rules: never seen red, fresh green, set-aside rows amber', async () => {
  const c = as.administrator;
  const add = await c.req('POST', 'kiosks', { name: 'health-1' });
  assert.equal(add.status, 201);
  const health = async () => (await c.req('GET', 'kiosks')).json.kiosks.find((k) => k.name === 'health-1');
  assert.equal((await health()).health, 'red');
  const beat = (body) => fetch(srv.url + '/v1/heartbeat', { method: 'POST',
    headers: { Authorization: 'Bearer ' + add.json.token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body) });
  assert.equal((await beat({ version: '0.1.0', catalog_rev: 0, outbox_depth: 0, last_error: '' })).status, 204);
  assert.equal((await health()).health, 'green');
  assert.equal((await beat({ version: '0.1.0', catalog_rev: 0, outbox_depth: 2, last_error: '',
    set_aside: 2, set_aside_reason: 'server refused (400): bad row' })).status, 204);
  const k = await health();
  assert.equal(k.health, 'amber');
  assert.equal(k.set_aside, 2);
  assert.match(k.set_aside_reason, /bad row/);
  assert.equal((await beat({ version: '0.1.0', catalog_rev: 0, outbox_depth: 0, last_error: 'sync: timeout' })).status, 204);
  assert.equal((await health()).health, 'amber');
});

// --- open-data sources (docs/sources.md, "Runs from the console") ------------------------

const sourceOf = async (c, name) => (await c.req('GET', 'sources')).json.sources.find((s) => s.name === name);
async function idle(c, name, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await sourceOf(c, name);
    if (!s.running) return s;
    if (Date.now() > end) throw new Error(name + ' still running');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('sources: the configured ones with their settings and keyword map, for every role', async () => {
  for (const r of ROLES) {
    const res = await as[r].req('GET', 'sources');
    assert.equal(res.status, 200, r);
    assert.deepEqual(res.json.sources.map((s) => s.name), ['linkedevents', 'servicemap', 'varaamo']);
  }
  const le = await sourceOf(as.viewer, 'linkedevents');
  assert.equal(le.configured, true);
  assert.equal(le.config.url, data.base + '/linkedevents/v1/event/');
  assert.equal(le.config.days, 90);
  assert.match(le.config.rules, /assets\/sources\/linkedevents\.json$/);
  assert.equal(le.config.keywords['yso:p4354'], 'children-families');
  assert.equal(le.config.deadline, 1800);
});

test('run now: starts in the background, answers at once, the outcome and counts land in the run log', async () => {
  const c = as.editor;
  await idle(c, 'varaamo');
  await idle(c, 'linkedevents');
  const t0 = Date.now();
  const r = await c.req('POST', 'sources/linkedevents/run');
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.running, true);
  assert.ok(Date.now() - t0 < 1000, 'answered without waiting for the import');
  const s = await idle(c, 'linkedevents');
  const last = s.runs[0];
  assert.equal(last.ok, true, last.error);
  assert.equal(last.pages, 2);
  // The matrix above ran it first: now every page answers 304, nothing is written.
  assert.equal(last.not_modified, true);
  assert.equal(s.runs[1].ok, true);
  assert.equal(s.runs[1].records, 10);
  assert.equal(s.progress.by, 'editor');
  assert.equal(s.progress.pages, 2, 'progress counted the pages');
  const v = await idle(c, 'varaamo');
  assert.equal(v.runs[0].ok, true, v.runs[0].error);
  assert.ok(v.runs[0].added + v.runs[0].unchanged > 0);
  const items = (await c.req('GET', 'catalog?q=varaamo.')).json.items;
  assert.ok(items.length > 0, 'imported items are in the catalog');
  const audit = (await as.administrator.req('GET', 'audit?action=source.')).json.entries;
  assert.ok(audit.some((a) => a.action === 'source.run' && a.user === 'editor' && a.target === 'linkedevents'));
  assert.ok(audit.some((a) => a.action === 'source.run' && a.user === 'administrator'));
});

test('run now while one runs says it is running; the run never holds up requests and ends on its timeout', async () => {
  const c = as.administrator;
  const r1 = await c.req('POST', 'sources/servicemap/run');
  assert.equal(r1.status, 202, r1.text);
  const r2 = await c.req('POST', 'sources/servicemap/run');
  assert.equal(r2.status, 409);
  assert.match(r2.json.error, /servicemap: an import is running \(started .* by administrator\)/);
  const s = await sourceOf(c, 'servicemap');
  assert.equal(s.running, true);
  // The console and the sync protocol answer while the import waits on its source.
  const t0 = Date.now();
  assert.equal((await c.req('GET', 'kiosks')).status, 200);
  assert.equal((await fetch(srv.url + '/v1/health')).status, 200);
  assert.ok(Date.now() - t0 < 1000, 'not blocked by the running import');
  const done = await idle(c, 'servicemap', 10000);
  assert.equal(done.runs[0].ok, false);
  assert.match(done.runs[0].error, /no complete answer within 2 s/);
  const audit = (await c.req('GET', 'audit?action=source.')).json.entries.filter((a) => a.target === 'servicemap');
  assert.equal(audit.length, 1, 'the refused second press is not logged as a run');
});

test('run now on two server processes sharing one database: one import per source in all', { skip: !PG && 'one server process per SQLite file' }, async () => {
  const c = as.administrator;
  const s2 = await startServer(db, ['--sources', writeSources(tmpdir(), data.base)]);
  try {
    const c2 = new Client(s2.url);
    assert.equal((await c2.login('administrator', PW)).status, 200);
    const r1 = await c.req('POST', 'sources/servicemap/run');
    assert.equal(r1.status, 202, r1.text);
    const r2 = await c2.req('POST', 'sources/servicemap/run');
    assert.equal(r2.status, 409, r2.text);
    assert.match(r2.json.error, /servicemap: an import is running \(on another server process\)/);
    await idle(c, 'servicemap', 10000);
    // The first run's connection let the lock go: the other process may run it now.
    const r3 = await c2.req('POST', 'sources/servicemap/run');
    assert.equal(r3.status, 202, r3.text);
    await idle(c2, 'servicemap', 10000);
  } finally {
    await s2.stop();
  }
});

test('run now: an unknown source is 404, CSRF is required, and a server without --sources has none', async () => {
  const c = as.administrator;
  assert.equal((await c.req('POST', 'sources/nosuch/run')).status, 404);
  const r = await c.req('POST', 'sources/varaamo/run', {}, { 'X-CSRF-Token': null });
  assert.equal(r.status, 403);
  const d2 = tmpdir();
  const db2 = serverDb(d2);
  addUser(db2, 'a', 'administrator', PW);
  const s2 = await startServer(db2);
  try {
    const a = new Client(s2.url);
    await a.login('a', PW);
    const l = await a.req('GET', 'sources');
    assert.equal(l.status, 200);
    assert.ok(l.json.sources.every((s) => !s.configured && s.runs.length === 0));
    const run = await a.req('POST', 'sources/linkedevents/run');
    assert.equal(run.status, 409);
    assert.match(run.json.error, /not configured/);
  } finally {
    await s2.stop();
  }
});

test('a bad sources file stops the server at start with a message naming the key', async () => {
  const d2 = tmpdir();
  const f = path.join(d2, 'sources.json');
  fs.writeFileSync(f, JSON.stringify({ linkedevents: { url: 'ftp://x/', days: 90 } }));
  let r = spawnSync(process.env.KIOSK_SERVER, ['--db', serverDb(d2, 's.db'), '--listen', '127.0.0.1:0', '--sources', f], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /linkedevents: "url" must be an http or https URL/);
  fs.writeFileSync(f, JSON.stringify({ linkedevents: { url: 'http://x/', dayz: 90 } }));
  r = spawnSync(process.env.KIOSK_SERVER, ['--db', serverDb(d2, 's.db'), '--listen', '127.0.0.1:0', '--sources', f], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown key "dayz"/);
});

test('every error has a stable code the console translates, and names its field', async () => {
  const c = as.editor;
  let r = await c.req('POST', 'catalog/items/v-hall', { item: { id: 'v-hall', kind: 'venue', price: 'free' } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [400, 'missing', 'name']);
  r = await c.req('POST', 'catalog/items/v-hall', { item: { id: 'v-hall', kind: 'venue', name: { fi: '' }, price: 'free' } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [400, 'empty', 'name.fi']);
  r = await c.req('POST', 'catalog/items/v-hall', { item: { id: 'v-hall', kind: 'venue', name: { fi: 'x'.repeat(5000) }, price: 'free' } });
  assert.deepEqual([r.json.code, r.json.field], ['too_long', 'name.fi']);
  r = await c.req('POST', 'catalog/items/v-hall', { item: { id: 'v-hall', kind: 'venue', name: { fi: 'Sali' }, price: 'free', colour: 'red' } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [400, 'unknown_field', 'colour']);
  r = await c.req('GET', 'catalog?limit=x');
  assert.deepEqual([r.status, r.json.code, r.json.field], [400, 'not_number', 'limit']);
  r = await c.req('GET', 'users');
  assert.deepEqual([r.status, r.json.code], [403, 'role']);
  r = await c.req('POST', 'kiosks', { name: 'x' }, { 'X-CSRF-Token': null });
  assert.deepEqual([r.status, r.json.code], [403, 'csrf']);
  r = await c.req('GET', 'catalog/items/no-such-item');
  assert.deepEqual([r.status, r.json.code], [404, 'not_found']);
  r = await new Client(srv.url).req('GET', 'catalog');
  assert.deepEqual([r.status, r.json.code], [401, 'unauthenticated']);
  r = await as.administrator.req('POST', 'users', { name: 'ok9', role: 'viewer' });
  assert.deepEqual([r.status, r.json.code, r.json.field], [400, 'missing', 'password']);
  // Every code the server sends has a text in each of the console's languages.
  const { TABLE } = await import('../../console/i18n.js');
  for (const code of ['missing', 'empty', 'too_long', 'unknown_field', 'not_number', 'role', 'csrf', 'not_found', 'unauthenticated', 'invalid', 'busy', 'too_large', 'conflict', 'content_invalid'])
    assert.equal(TABLE['err_' + code]?.length, 3, code);
});

test('areas: saved with fi/sv/en names, validated as an import, audited', async () => {
  const c = as.editor;
  const area = { id: 'porvoo-gammelbacka', city: 'Porvoo', type: 'district', name: { fi: 'Gammelbacka', sv: 'Gammelbacka', en: 'Gammelbacka' } };
  let r = await c.req('POST', 'areas/porvoo-gammelbacka', { area });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.areas_changed, 1);
  r = await c.req('POST', 'areas/porvoo-gammelbacka', { area: { ...area, name: { fi: 'Gammelbacka', sv: 'Gammelbacka', en: 'Gammelbacka district' } } });
  assert.equal(r.json.areas_changed, 1);
  let areas = (await c.req('GET', 'areas')).json.areas;
  assert.equal(areas.find((a) => a.id === 'porvoo-gammelbacka').name.en, 'Gammelbacka district');
  // The same rules as an import; nothing changed by a refusal.
  const bad = [
    [{ ...area, type: 'county' }, 'type'],
    [{ ...area, city: undefined }, 'city'],
    [{ ...area, name: { fi: '' } }, 'name.fi'],
    [{ ...area, name: { de: 'Gammelbacka' } }, 'name.de'],
  ];
  for (const [a, field] of bad) {
    r = await c.req('POST', 'areas/porvoo-gammelbacka', { area: a });
    assert.equal(r.status, 400, JSON.stringify(a));
    assert.equal(r.json.field, field, r.text);
    assert.ok(r.json.code, r.text);
  }
  r = await c.req('POST', 'areas/other-id', { area });
  assert.deepEqual([r.status, r.json.field], [400, 'id']);
  r = await c.req('POST', 'areas/porvoo-gammelbacka', { area: 'x' });
  assert.deepEqual([r.status, r.json.field], [400, 'area']);
  areas = (await c.req('GET', 'areas')).json.areas;
  assert.equal(areas.find((a) => a.id === 'porvoo-gammelbacka').type, 'district');
  const log = (await as.administrator.req('GET', 'audit?action=area.')).json.entries;
  assert.ok(log.some((e) => e.user === 'editor' && e.target === 'porvoo-gammelbacka'));
});

test('areas: deleted unless items are in it (409 with their number), audited', async () => {
  const c = as.editor;
  const area = { id: 'porvoo-kevatkumpu', city: 'Porvoo', type: 'district', name: { fi: 'Kevätkumpu', sv: 'Vårberga' } };
  assert.equal((await c.req('POST', 'areas/porvoo-kevatkumpu', { area })).status, 200);
  for (const id of ['v-kk-1', 'v-kk-2'])
    assert.equal((await c.req('POST', `catalog/items/${id}`, { item: { id, kind: 'venue', name: { fi: 'Tila' }, price: 'free', area: 'porvoo-kevatkumpu' } })).status, 200);
  let r = await c.req('POST', 'areas/porvoo-kevatkumpu/delete');
  assert.deepEqual([r.status, r.json.code, r.json.field, r.json.items], [409, 'area_in_use', 'area', 2], r.text);
  assert.match(r.json.error, /2 live items are in area/);
  assert.ok((await c.req('GET', 'areas')).json.areas.some((a) => a.id === 'porvoo-kevatkumpu'), 'refused: still there');
  // A deleted item no longer holds the area; one still does.
  assert.equal((await c.req('POST', 'catalog/items/v-kk-1/delete')).status, 200);
  r = await c.req('POST', 'areas/porvoo-kevatkumpu/delete');
  assert.deepEqual([r.status, r.json.items], [409, 1]);
  assert.equal((await c.req('POST', 'catalog/items/v-kk-2', { item: { id: 'v-kk-2', kind: 'venue', name: { fi: 'Tila' }, price: 'free' } })).status, 200);
  r = await c.req('POST', 'areas/porvoo-kevatkumpu/delete');
  assert.deepEqual([r.status, r.json], [200, { deleted: 'porvoo-kevatkumpu' }]);
  assert.ok(!(await c.req('GET', 'areas')).json.areas.some((a) => a.id === 'porvoo-kevatkumpu'));
  r = await c.req('POST', 'areas/porvoo-kevatkumpu/delete');
  assert.deepEqual([r.status, r.json.code], [404, 'not_found']);
  // An item cannot name it any more.
  r = await c.req('POST', 'catalog/items/v-kk-2', { item: { id: 'v-kk-2', kind: 'venue', name: { fi: 'Tila' }, price: 'free', area: 'porvoo-kevatkumpu' } });
  assert.deepEqual([r.status, r.json.field], [400, 'area']);
  const log = (await as.administrator.req('GET', 'audit?action=area.delete')).json.entries;
  assert.ok(log.some((e) => e.user === 'editor' && e.target === 'porvoo-kevatkumpu'));
});
