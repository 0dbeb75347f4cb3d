// A running workshop on the real server: its answer rows (one per saved group answer,
// docs/survey-format.md) are stored once however often they are sent, count in the
// totals while it runs, and do not count again once its end rows arrive; its change
// events (GET /v1/admin/workshops/ID/events) come within a second of a new row and are
// bounded: streams at once, from one address, and a lifetime, with 503 past a cap.
// Kiosk syncs are answered while every stream is open on a two-thread server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { tmpdir, addUser, admin, startServer, Client, SOURCE } from './harness.mjs';

const PW = 'correct horse battery';
const DEF = path.join(SOURCE, 'assets/content/surveys/ylojarvi-forum-workshop.json');
const WS = '6f1c2a9e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
const LIFETIME = 3;
let dir, db, srv, token;
const as = {};

const base = { workshop: WS, survey: 'ylojarvi-kumppanuusfoorumi', version: 1, label: 'Forum',
  started: '2026-09-25T10Z' };
const answer = (seq, group, question, value) => ({
  uuid: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, kind: 'workshop-answer',
  payload: { type: 'workshop-answer', ...base, group, question, seq, answer: value } });

async function push(rows) {
  const r = await fetch(srv.url + '/v1/responses', {
    method: 'POST', body: JSON.stringify({ responses: rows }),
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' } });
  assert.equal(r.status, 200);
  return r.json();
}

// A stream read with node's http (to pick the local address): resolves with the
// status at once; .events collects each "data:" line's JSON, .ended when it ends.
function sse(who, localAddress = '127.0.0.1', id = WS) {
  return new Promise((resolve, reject) => {
    const q = http.request(srv.url + `/v1/admin/workshops/${id}/events`, {
      localAddress, headers: { Cookie: who.cookie, Accept: 'text/event-stream' } }, (res) => {
      const s = { status: res.statusCode, type: res.headers['content-type'], events: [], text: '',
        ended: null, close: () => q.destroy() };
      s.ended = new Promise((done) => res.on('end', done).on('close', done));
      res.setEncoding('utf8');
      res.on('data', (d) => {
        s.text += d;
        for (const m of d.matchAll(/^data: (.*)$/gm)) s.events.push(JSON.parse(m[1]));
      });
      res.on('error', () => {});
      resolve(s);
    });
    q.on('error', reject);
    q.end();
  });
}

async function until(fn, what, ms = 3000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await fn()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out: ' + what);
}

before(async () => {
  dir = tmpdir();
  db = path.join(dir, 'server.db');
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'coord-hall', 'coordinator', PW, 'hall');
  assert.equal(admin(db, 'import-survey', DEF).status, 0);
  srv = await startServer(db, ['--threads', '2', '--live-streams', '3', '--live-per-address', '2',
    '--live-lifetime', String(LIFETIME)]);
  for (const u of ['anna', 'coord-hall']) {
    as[u] = new Client(srv.url);
    assert.equal((await as[u].login(u, PW)).status, 200);
  }
  token = (await as.anna.req('POST', 'kiosks', { name: 'lobby' })).json.token;
  await as.anna.req('POST', 'kiosks', { name: 'hall' });
});

after(async () => { if (srv) await srv.stop(); });

test('answer rows are stored once and count while the workshop runs; its end does not count them again', async () => {
  const rows = [answer(1, 'seniorit', 'rakenne', ['foorumit', 'tilat', 'jarjestokirje']),
    answer(2, 'muut', 'rakenne', ['tilat', 'foorumit', 'jarjestoagentit']),
    answer(3, 'seniorit', 'rakenne', ['tilat', 'yhdistysavustukset', 'jarjestokirje']),
    answer(4, 'muut', 'aiheet', ['Tilat'])];
  let r = await push(rows);
  assert.equal(r.stored, 4);
  r = await push(rows);  // a resend after a lost reply
  assert.deepEqual([r.stored, r.ack.length], [0, 4]);
  const list = (await as.anna.req('GET', 'workshops')).json.workshops;
  assert.deepEqual(list.map((w) => [w.id, w.kiosk, w.running, w.ended]), [[WS, 'lobby', true, '']]);
  let w = (await as.anna.req('GET', 'workshops/' + WS)).json;
  assert.equal(w.running, true);
  assert.deepEqual(w.groups.map((g) => g.id), ['seniorit', 'muut']);
  assert.deepEqual(w.groups[0].answers.rakenne, ['tilat', 'yhdistysavustukset', 'jarjestokirje'], 'the newest answer');
  const count = (j, o) => j.questions[0].options.find((x) => x.id === o).count;
  assert.equal(w.questions[0].answered, 2);
  assert.deepEqual([count(w, 'tilat'), count(w, 'foorumit'), count(w, 'yhdistysavustukset')], [2, 1, 1]);
  // a removed answer (null) leaves the group out of that question
  await push([answer(5, 'muut', 'aiheet', null)]);
  w = (await as.anna.req('GET', 'workshops/' + WS)).json;
  assert.equal(w.groups[1].answers.aiheet, undefined);
  // the end's rows: the same answers once more, counted once
  const end = [
    { uuid: 'e0000000-0000-4000-8000-000000000001', kind: 'workshop-group', payload: { type: 'workshop-group',
      workshop: WS, survey: base.survey, version: 1, group: 'seniorit', answers: { rakenne: rows[2].payload.answer } } },
    { uuid: 'e0000000-0000-4000-8000-000000000002', kind: 'workshop-group', payload: { type: 'workshop-group',
      workshop: WS, survey: base.survey, version: 1, group: 'muut', answers: { rakenne: rows[1].payload.answer } } },
    { uuid: 'e0000000-0000-4000-8000-000000000003', kind: 'workshop', payload: { type: 'workshop', ...base,
      ended: '2026-09-25T12Z', groups: ['seniorit', 'muut'] } }];
  assert.equal((await push(end)).stored, 3);
  w = (await as.anna.req('GET', 'workshops/' + WS)).json;
  assert.equal(w.running, false);
  assert.equal(w.ended, '2026-09-25T12Z');
  assert.equal(w.questions[0].answered, 2);
  assert.deepEqual([count(w, 'tilat'), count(w, 'foorumit'), count(w, 'yhdistysavustukset')], [2, 1, 1]);
  assert.deepEqual((await as.anna.req('GET', 'workshops')).json.workshops.map((x) => [x.running, x.groups]), [[false, 2]]);
});

test('a stream says the counter at once and again within a second of a new row', async () => {
  const s = await sse(as.anna);
  assert.equal(s.status, 200);
  assert.equal(s.type, 'text/event-stream');
  await until(() => s.events.length === 1, 'the first event');
  assert.match(s.text, /^retry: \d+\n\n/);
  const first = s.events[0].stamp;
  assert.ok(first >= 8, JSON.stringify(s.events));
  await push([answer(6, 'seniorit', 'aiheet', ['Koulutus'])]);
  const ms = await until(() => s.events.length === 2, 'the change event');
  assert.equal(s.events[1].stamp, first + 1);
  assert.ok(ms < 1500, `change seen after ${ms} ms`);
  s.close();
  await s.ended;
  // the server sees the page gone within its next round and frees the place
  await new Promise((r) => setTimeout(r, 1000));
});

test('streams are capped per address and in all, 503 past a cap; each ends after its lifetime; kiosks still sync', async () => {
  const a1 = await sse(as.anna), a2 = await sse(as.anna);
  assert.deepEqual([a1.status, a2.status], [200, 200]);
  const t0 = Date.now();
  const a3 = await sse(as.anna);
  assert.equal(a3.status, 503, 'a third from one address');
  await a3.ended;
  assert.match(a3.text, /live_full/);
  const b1 = await sse(as.anna, '127.0.0.2');
  assert.equal(b1.status, 200, 'another address');
  const c1 = await sse(as.anna, '127.0.0.3');
  assert.equal(c1.status, 503, 'past the server\'s cap');
  await c1.ended;
  // every stream open (more than the server's two threads): a kiosk's push is answered
  const p0 = Date.now();
  assert.equal((await push([answer(7, 'muut', 'aiheet', ['Liikunta'])])).stored, 1);
  assert.ok(Date.now() - p0 < 1000, 'sync answered while streams are open');
  await until(() => a1.events.length === 2 && b1.events.length === 2, 'events on every stream');
  // the lifetime ends them (the browser reconnects); then there is room again
  await Promise.all([a1.ended, a2.ended, b1.ended]);
  const lived = (Date.now() - t0) / 1000;
  assert.ok(lived >= LIFETIME - 1 && lived < LIFETIME + 3, `streams lived ${lived} s`);
  const again = await sse(as.anna, '127.0.0.3');
  assert.equal(again.status, 200);
  again.close();
});

test('the same access as the workshop: a coordinator of another kiosk and no session get nothing', async () => {
  const s = await sse(as['coord-hall']);
  assert.equal(s.status, 404);
  await s.ended;
  const none = await sse(new Client(srv.url));
  assert.equal(none.status, 401);
  await none.ended;
  const other = await sse(as.anna, '127.0.0.1', '00000000-0000-4000-8000-00000000ffff');
  assert.equal(other.status, 404);
  await other.ended;
});
