// Per-kiosk settings and publishing surveys and ballots (docs/admin-api.md), against
// the real server, and the settings feed pulled into real kiosk stores by kioskctl
// (docs/protocol.md "Kiosk settings"): bad values refused naming the field with
// nothing changed, roles and a coordinator's kiosks, a changed setting reaching a
// kiosk on its next sync, a document published to chosen kiosks reaching only those,
// and a closed one leaving every kiosk's lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, serverDb, addUser, admin, startServer, Client, SOURCE, KIOSKCTL } from './harness.mjs';

const PW = 'correct horse battery';
const SURVEY = 'library-feedback';
const BALLOT = 'porvoo-lahioideat-2026';
let dir, db, srv;
const as = {};
const tokens = {};

before(async () => {
  dir = tmpdir('settings-');
  db = serverDb(dir);
  addUser(db, 'admin', 'administrator', PW);
  addUser(db, 'coord', 'coordinator', PW, 'k1');
  addUser(db, 'viewer', 'viewer', PW);
  assert.equal(admin(db, 'import-survey', path.join(SOURCE, 'assets/content/surveys/library-feedback.json')).status, 0);
  assert.equal(admin(db, 'import-ballot', path.join(SOURCE, 'assets/content/ballots/porvoo-lahio-ideat.json')).status, 0);
  srv = await startServer(db);
  for (const n of ['admin', 'coord', 'viewer']) {
    as[n] = new Client(srv.url);
    assert.equal((await as[n].login(n, PW)).status, 200);
  }
  for (const k of ['k1', 'k2', 'k3']) {
    const r = await as.admin.req('POST', 'kiosks', { name: k });
    assert.equal(r.status, 201);
    tokens[k] = path.join(dir, k + '.token');
    fs.writeFileSync(tokens[k], r.json.token + '\n');
  }
});

after(async () => { await srv.stop(); });

const HOURS = { mon: '08:00-20:00', tue: '08:00-20:00', wed: '08:00-20:00', thu: '08:00-20:00',
  fri: '08:00-20:00', sat: '10:00-16:00', sun: 'closed' };

function ctl(kiosk, ...args) {
  const r = spawnSync(KIOSKCTL, ['--db', path.join(dir, kiosk + '.db'), ...args], { encoding: 'utf8' });
  return r;
}
function sync(kiosk) {
  const r = ctl(kiosk, 'sync', '--once', '--server', srv.url, '--token-file', tokens[kiosk]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}
function settingsOf(kiosk) {
  const r = ctl(kiosk, 'sync', 'settings');
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('bad settings: 400 naming the field, nothing stored', async () => {
  const c = as.admin;
  const cases = [
    [{ place: 'x'.repeat(101) }, 'place'],
    [{ place: '' }, 'place'],
    [{ place: 'a\u202Eb' }, 'place'],
    [{ idle_s: 29 }, 'idle_s'],
    [{ idle_s: 601 }, 'idle_s'],
    [{ idle_s: '60' }, 'idle_s'],
    [{ language: 'de' }, 'language'],
    [{ hours: { ...HOURS, tue: undefined } }, 'hours.tue'],
    [{ hours: { ...HOURS, mon: '20:00-08:00' } }, 'hours.mon'],
    [{ hours: { ...HOURS, wed: '25:00-26:00' } }, 'hours.wed'],
    [{ hours: { ...HOURS, xyz: 'closed' } }, 'hours'],
    [{ colour: 'red' }, 'colour'],
    [{ surveys: ['no-such-survey'], ballots: [] }, 'surveys'],
    [{ surveys: [SURVEY] }, 'ballots'],
    [{ surveys: Array.from({ length: 201 }, (_, i) => 's' + i), ballots: [] }, 'surveys'],
    [{ surveys: ['Not An Id!'], ballots: [] }, 'surveys'],
  ];
  for (const [body, field] of cases) {
    const r = await c.req('POST', 'kiosks/k1/settings', body);
    assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.json.field, field, JSON.stringify(r.json));
    assert.match(r.json.error, new RegExp(field.replace('.', '\\.')));
  }
  const g = await c.req('GET', 'kiosks/k1/settings');
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.settings, {});
  assert.deepEqual(g.json.surveys.map((d) => [d.id, d.shown, d.publish]), [[SURVEY, true, 'all']]);
  assert.equal((await c.req('GET', 'kiosks/nope/settings')).status, 404);
  assert.equal((await c.req('POST', 'kiosks/nope/settings', { idle_s: 60 })).status, 404);
});

test('roles: a coordinator edits only their kiosks, a viewer reads only', async () => {
  let r = await as.coord.req('POST', 'kiosks/k2/settings', { place: 'Toinen' });
  assert.equal(r.status, 403);
  r = await as.coord.req('GET', 'kiosks/k2/settings');
  assert.equal(r.status, 403);
  r = await as.viewer.req('POST', 'kiosks/k1/settings', { place: 'Katsoja' });
  assert.equal(r.status, 403);
  r = await as.coord.req('POST', 'docs/publish?type=survey', { id: SURVEY, to: 'all' });
  assert.equal(r.status, 403);
  r = await as.coord.req('POST', 'docs/publish?type=survey', { id: SURVEY, to: 'chosen', kiosks: ['k2'] });
  assert.equal(r.status, 403);
  assert.deepEqual((await as.admin.req('GET', 'kiosks/k2/settings')).json.settings, {});
  r = await as.coord.req('POST', 'kiosks/k1/settings', { place: 'Koordinaattorin paikka' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.settings.place, 'Koordinaattorin paikka');
});

test('settings reach a kiosk on its next sync; an unchanged set costs no fetch', async () => {
  const c = as.admin;
  let r = await c.req('POST', 'kiosks/k1/settings', { place: 'Porvoon pääkirjasto', hours: HOURS,
    idle_s: 120, language: 'sv' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.settings, { place: 'Porvoon pääkirjasto', hours: HOURS, idle_s: 120, language: 'sv' });
  const audit = (await c.req('GET', 'audit?action=kiosk.settings')).json.entries
    || (await c.req('GET', 'audit?action=kiosk.settings')).json.audit;
  assert.ok(JSON.stringify(audit).includes('k1'));
  sync('k1');
  let s = settingsOf('k1');
  assert.match(s, /"place":"Porvoon pääkirjasto"/);
  assert.match(s, /"hours":\{"mon":"08:00-20:00".*"sun":"closed"\}/);
  assert.match(s, /"idle_s":120,"language":"sv"/);
  assert.match(s, new RegExp(`surveys: ${SURVEY}\\n`));
  assert.match(s, new RegExp(`ballots: ${BALLOT}\\n`));
  // Nothing changed: the change check alone (204), then the report kioskctl always sends.
  assert.match(sync('k1'), /; 2 requests,/);
  // A change arrives with the next sync, in the same kiosk store (no new database).
  r = await c.req('POST', 'kiosks/k1/settings', { place: 'Uusi paikka', idle_s: 300 });
  assert.equal(r.status, 200);
  sync('k1');
  s = settingsOf('k1');
  assert.match(s, /settings: \{"place":"Uusi paikka","idle_s":300\}/);
  // Forgetting everything leaves kiosk.conf in charge.
  assert.equal((await c.req('POST', 'kiosks/k1/settings', {})).status, 200);
  sync('k1');
  assert.match(settingsOf('k1'), /settings: \{\}/);
});

test('published to chosen kiosks: only those get it; closed: it leaves every kiosk', async () => {
  const c = as.admin;
  let r = await c.req('POST', 'docs/publish?type=ballot', { id: BALLOT, to: 'chosen', kiosks: ['k2'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.kiosks, ['k2']);
  const list = (await c.req('GET', 'docs?type=ballot')).json.docs;
  assert.deepEqual(list.map((d) => [d.id, d.publish, d.kiosks]), [[BALLOT, 'chosen', ['k2']]]);
  // k3 has never synced: its store never receives the ballot; k2 does.
  sync('k3');
  sync('k2');
  assert.doesNotMatch(ctl('k3', 'ballot', 'status').stdout, new RegExp(BALLOT));
  assert.match(ctl('k2', 'ballot', 'status').stdout, new RegExp(BALLOT));
  assert.match(settingsOf('k3'), /ballots:\n/);
  assert.match(settingsOf('k2'), new RegExp(`ballots: ${BALLOT}\\n`));
  // k1 had it from before: it stays stored there but leaves the list it shows.
  sync('k1');
  assert.match(settingsOf('k1'), /ballots:\n/);
  // The Kiosks page's tick box is the same publication: showing it on k3 adds k3.
  r = await c.req('POST', 'kiosks/k3/settings', { surveys: [SURVEY], ballots: [BALLOT] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await c.req('GET', 'docs?type=ballot')).json.docs[0].kiosks, ['k2', 'k3']);
  sync('k3');
  assert.match(ctl('k3', 'ballot', 'status').stdout, new RegExp(BALLOT));
  assert.match(settingsOf('k3'), new RegExp(`ballots: ${BALLOT}\\n`));
  // Hiding a survey that is for every kiosk on one kiosk keeps it on the others.
  r = await c.req('POST', 'kiosks/k2/settings', { surveys: [], ballots: [BALLOT] });
  assert.equal(r.status, 200, r.text);
  const sv = (await c.req('GET', 'docs?type=survey')).json.docs[0];
  assert.equal(sv.publish, 'chosen');
  assert.deepEqual(sv.kiosks, ['k1', 'k3']);
  // Closing: gone from every kiosk's lists on its next sync; cannot be ticked.
  r = await c.req('POST', 'docs/publish?type=survey', { id: SURVEY, to: 'closed' });
  assert.equal(r.status, 200, r.text);
  for (const k of ['k1', 'k2', 'k3']) {
    sync(k);
    assert.match(settingsOf(k), /surveys:\n/, k);
  }
  r = await c.req('POST', 'kiosks/k1/settings', { surveys: [SURVEY], ballots: [] });
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'surveys');
  assert.match(r.json.error, /closed/);
  // Bad publication requests name their field.
  for (const [q, body, field] of [
    ['survey', { id: SURVEY, to: 'some' }, 'to'],
    ['survey', { id: SURVEY, to: 'chosen', kiosks: ['zz'] }, 'kiosks'],
    ['survey', { id: SURVEY, to: 'chosen' }, 'kiosks'],
    ['survey', { id: SURVEY, to: 'all', kiosks: ['k1'] }, 'kiosks'],
    ['codes', { id: SURVEY, to: 'all' }, 'type'],
  ]) {
    r = await c.req('POST', 'docs/publish?type=' + q, body);
    assert.equal(r.status, 400, JSON.stringify(body) + r.text);
    assert.equal(r.json.field, field);
  }
  assert.equal((await c.req('POST', 'docs/publish?type=survey', { id: 'nope', to: 'all' })).status, 404);
  assert.equal((await c.req('GET', 'docs?type=survey')).json.docs[0].publish, 'closed');
  // Published again to every kiosk: back on the next sync.
  assert.equal((await c.req('POST', 'docs/publish?type=survey', { id: SURVEY, to: 'all' })).status, 200);
  sync('k2');
  assert.match(settingsOf('k2'), new RegExp(`surveys: ${SURVEY}\\n`));
});
