// Quick feedback results against the real server: counts per face, kiosk, card,
// week and hour x weekday from pushed feedback; periods; comments newest first and
// hiding one; a coordinator limited to one kiosk sees only that kiosk's results (the
// server enforces it); and feedback given on a real kiosk in script mode, synced
// with kioskctl, lands in the heat map at its hour and weekday.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, serverDb, PG, addUser, admin, startServer, Client, SOURCE, KIOSKCTL } from './harness.mjs';
import { push, uuid } from './feedback.mjs';
import { run } from './results_survey.mjs';

// The server shows hours in its own time zone: Finland's, here.
const TZ = 'Europe/Helsinki';
process.env.TZ = TZ;
const PW = 'correct horse battery';
let dir, db, srv;
const as = {};
const tokens = {};

const fb = (n, hour, score, extra = {}) => ({ uuid: uuid(n), kind: 'feedback',
  payload: { type: 'feedback', hour, score, context: 'home', ...extra } });

// Weekday (0 = Monday) and hour of a stored UTC hour in Finland.
function local(hourText) {
  const d = new Date(hourText.slice(0, 13) + ':00:00Z');
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, weekday: 'short', hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return { wd: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday), h: Number(p.hour) };
}

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  for (const r of ['administrator', 'editor', 'coordinator', 'viewer']) addUser(db, r, r, PW);
  addUser(db, 'coord-lobby', 'coordinator', PW, 'lobby');
  srv = await startServer(db);
  for (const r of ['administrator', 'editor', 'coordinator', 'viewer', 'coord-lobby']) {
    as[r] = new Client(srv.url);
    assert.equal((await as[r].login(r, PW)).status, 200);
  }
  const content = { format: 'kiosk-content', version: 1, items: [
    { id: 'v-hall', kind: 'venue', name: { fi: 'Sali', sv: 'Salen', en: 'The hall' }, price: 'free' }] };
  assert.equal((await as.administrator.req('POST', 'catalog/import?apply=1', content)).status, 200);
  for (const k of ['lobby', 'hall']) tokens[k] = (await as.administrator.req('POST', 'kiosks', { name: k })).json.token;
  await push(srv.url, tokens.lobby, [
    fb(1, '2026-11-25T12Z', 4, { comment: 'Hyvät aukioloajat' }),
    fb(2, '2026-11-25T12Z', 5, { context: 'v-hall' }),
    fb(3, '2026-11-30T08Z', 1, { comment: 'Soittakaa minulle 040 123 4567, Maija Meikäläinen' }),
  ]);
  await push(srv.url, tokens.hall, [
    fb(4, '2026-11-26T18Z', 2, { comment: 'Liian kylmä' }),
    fb(5, '2026-11-26T18Z', 3),
    // not counted: no face, a face outside 1-5, an hour that is not one
    { uuid: uuid(6), kind: 'feedback', payload: { type: 'feedback', hour: '2026-11-26T18Z' } },
    fb(7, '2026-11-26T18Z', 9),
    fb(8, 'yesterday', 3),
  ]);
});

after(async () => { await srv.stop(); });

test('counts per face with shares, per kiosk, per card, per week and on the hour x weekday grid', async () => {
  const r = await as.viewer.req('GET', 'results/feedback');
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.total, 5);
  assert.deepEqual(j.faces, [1, 1, 1, 1, 1]);
  assert.deepEqual(j.kiosks, [{ name: 'hall', counts: [0, 1, 1, 0, 0] }, { name: 'lobby', counts: [1, 0, 0, 1, 1] }]);
  assert.deepEqual(j.cards, [{ id: 'v-hall', counts: [0, 0, 0, 0, 1], names: { fi: 'Sali', sv: 'Salen', en: 'The hall' } }]);
  assert.deepEqual(j.weeks, [{ week: '2026-11-23', counts: [0, 1, 1, 1, 1] }, { week: '2026-11-30', counts: [1, 0, 0, 0, 0] }]);
  // 12Z on Wednesday 25 Nov is 14 in Helsinki; 18Z Thursday is 20; 08Z Monday is 10.
  const cells = [];
  j.heat.forEach((row, d) => row.forEach((v, h) => { if (v) cells.push([d, h, v]); }));
  assert.deepEqual(cells, [[0, 10, 1], [2, 14, 2], [3, 20, 2]]);
});

test('a period in local dates: from and to are inclusive days; a bad date names its field', async () => {
  let r = await as.viewer.req('GET', 'results/feedback?from=2026-11-30');
  assert.equal(r.json.total, 1);
  r = await as.viewer.req('GET', 'results/feedback?to=2026-11-25');
  assert.equal(r.json.total, 2);
  r = await as.viewer.req('GET', 'results/feedback?from=2026-11-26&to=2026-11-26');
  assert.deepEqual(r.json.faces, [0, 1, 1, 0, 0]);
  assert.deepEqual(r.json.kiosks, [{ name: 'hall', counts: [0, 1, 1, 0, 0] }]);
  // Per kiosk: whole days and the hours at the period's edges (local midnight is 22Z).
  r = await as.viewer.req('GET', 'results/feedback?from=2026-11-24&to=2026-11-30');
  assert.deepEqual(r.json.kiosks, [{ name: 'hall', counts: [0, 1, 1, 0, 0] }, { name: 'lobby', counts: [1, 0, 0, 1, 1] }]);
  r = await as.viewer.req('GET', 'results/feedback?from=2026-11-25&to=2026-11-29');
  assert.deepEqual(r.json.kiosks, [{ name: 'hall', counts: [0, 1, 1, 0, 0] }, { name: 'lobby', counts: [0, 0, 0, 1, 1] }]);
  r = await as.viewer.req('GET', 'results/feedback?from=2026-11-30&to=2026-11-30');
  assert.deepEqual(r.json.kiosks, [{ name: 'lobby', counts: [1, 0, 0, 0, 0] }]);
  r = await as.viewer.req('GET', 'results/feedback?from=2026-11-30&kiosk=lobby');
  assert.deepEqual([r.json.faces, r.json.cards], [[1, 0, 0, 0, 0], []]);
  r = await as.viewer.req('GET', 'results/feedback?to=2026-11-25&kiosk=lobby');
  assert.deepEqual(r.json.cards.map((c) => c.counts), [[0, 0, 0, 0, 1]]);
  r = await as.viewer.req('GET', 'results/feedback/comments?from=2026-11-26&to=2026-11-26');
  assert.deepEqual(r.json.comments.map((c) => c.uuid), [uuid(4)]);
  for (const bad of ['from=2026-13-01', 'from=26.11.2026', 'to=2026-11-01&from=2026-11-02']) {
    r = await as.viewer.req('GET', 'results/feedback?' + bad);
    assert.equal(r.status, 400, bad);
    assert.ok(['from', 'to'].includes(r.json.field), bad);
  }
  r = await as.viewer.req('GET', 'results/feedback?kiosk=nowhere');
  assert.equal(r.status, 404);
});

test('comments newest first with face, kiosk and local hour; paging goes on where it stopped', async () => {
  const r = await as.viewer.req('GET', 'results/feedback/comments');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.comments.map((c) => [c.uuid, c.kiosk, c.face, c.local]), [
    [uuid(3), 'lobby', 1, '2026-11-30 10:00'],
    [uuid(4), 'hall', 2, '2026-11-26 20:00'],
    [uuid(1), 'lobby', 4, '2026-11-25 14:00']]);
  assert.equal(r.json.comments[2].comment, 'Hyvät aukioloajat');
  let page = await as.viewer.req('GET', 'results/feedback/comments?limit=2');
  assert.equal(page.json.comments.length, 2);
  page = await as.viewer.req('GET', 'results/feedback/comments?limit=2&before=' + page.json.next_before);
  assert.deepEqual(page.json.comments.map((c) => c.uuid), [uuid(1)]);
  assert.equal(page.json.next_before, undefined);
  assert.equal((await as.viewer.req('GET', 'results/feedback/comments?before=x')).status, 400);
});

test('a coordinator limited to one kiosk sees and hides only that kiosk\'s feedback', async () => {
  const c = as['coord-lobby'];
  let r = await c.req('GET', 'results/feedback');
  assert.equal(r.json.total, 3);
  assert.deepEqual(r.json.kiosks.map((k) => k.name), ['lobby']);
  assert.equal((await c.req('GET', 'results/feedback?kiosk=hall')).status, 404);
  r = await c.req('GET', 'results/feedback/comments');
  assert.deepEqual(r.json.comments.map((x) => x.kiosk), ['lobby', 'lobby']);
  // The other kiosk's comment cannot be hidden (nor told apart from a missing one).
  r = await c.req('POST', `results/feedback/comments/${uuid(4)}/hide`);
  assert.equal(r.status, 404);
  assert.equal((await as.viewer.req('GET', 'results/feedback/comments')).json.comments[1].comment, 'Liian kylmä');
  // A kiosk filter for everyone else: one kiosk's numbers.
  r = await as.viewer.req('GET', 'results/feedback?kiosk=hall');
  assert.deepEqual(r.json.faces, [0, 1, 1, 0, 0]);
});

test('hiding a comment with personal data: hidden for everyone, kept in storage, audit-logged', async () => {
  const c = as['coord-lobby'];
  let r = await c.req('POST', `results/feedback/comments/${uuid(3)}/hide`);
  assert.equal(r.status, 200, r.text);
  for (const who of ['administrator', 'viewer', 'coord-lobby']) {
    const list = (await as[who].req('GET', 'results/feedback/comments')).json.comments;
    const hidden = list.find((x) => x.uuid === uuid(3));
    assert.equal(hidden.comment, undefined, who);
    assert.equal(hidden.hidden.by, 'coord-lobby');
    assert.doesNotMatch(JSON.stringify(list), /040 123 4567/);
  }
  // Hiding again changes nothing; counts are unchanged.
  assert.equal((await as.administrator.req('POST', `results/feedback/comments/${uuid(3)}/hide`)).status, 200);
  assert.equal((await as.administrator.req('GET', 'results/feedback/comments')).json.comments[0].hidden.by, 'coord-lobby');
  assert.equal((await as.viewer.req('GET', 'results/feedback')).json.total, 5);
  const audit = (await as.administrator.req('GET', 'audit?action=feedback.')).json.entries;
  assert.equal(audit.length, 1);
  assert.deepEqual([audit[0].user, audit[0].action, audit[0].target, audit[0].detail],
    ['coord-lobby', 'feedback.hide', uuid(3), 'kiosk lobby']);
  // Not deleted: the stored response still has it.
  const ex = admin(db, 'export-responses', '--format', 'json');
  assert.equal(ex.status, 0, ex.stderr);
  assert.match(ex.stdout, /040 123 4567/);
  // Viewers and editors may not hide; an unknown comment is 404.
  for (const who of ['viewer', 'editor']) assert.equal((await as[who].req('POST', `results/feedback/comments/${uuid(1)}/hide`)).status, 403);
  assert.equal((await as.administrator.req('POST', `results/feedback/comments/${uuid(99)}/hide`)).status, 404);
});

// An .xlsx file's sheets as rows of cell texts (python3's zipfile and XML parser).
function xlsxRows(buf) {
  const f = path.join(dir, 'x.xlsx');
  fs.writeFileSync(f, buf);
  const py = `
import json, sys, zipfile, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
wb = ET.fromstring(z.read('xl/workbook.xml'))
out = {}
for i, sh in enumerate(wb.find('m:sheets', ns)):
    root = ET.fromstring(z.read('xl/worksheets/sheet%d.xml' % (i + 1)))
    rows = []
    for r in root.iter('{%s}row' % ns['m']):
        cells = []
        for c in r.findall('m:c', ns):
            t = c.find('m:is/m:t', ns)
            v = c.find('m:v', ns)
            cells.append(t.text if t is not None else (v.text if v is not None else ''))
        rows.append(cells)
    out[sh.get('name')] = rows
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', py, f], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('exports of the rows shown: Finnish CSV, JSON and xlsx, period and kiosk rules applied', async () => {
  await push(srv.url, tokens.lobby, [fb(20, '2026-11-27T09Z', 3, { comment: '=HYPERLINK("http://x","klikkaa")' })]);
  const get = async (c, q) => {
    const r = await fetch(srv.url + '/v1/admin/results/feedback/export?' + q, { headers: { Cookie: c.cookie } });
    return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), buf: Buffer.from(await r.arrayBuffer()) };
  };
  let r = await get(as.viewer, 'format=csv');
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/csv/);
  assert.match(r.disp, /attachment; filename="pikapalaute.csv"/);
  const text = r.buf.toString('utf8');
  assert.ok(text.startsWith('\uFEFF"Tunti";"Kioski";"Naama";"Naama (1-5)";"Mistä";"Kommentti"\r\n'), text.slice(0, 80));
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 1 + 6);
  assert.ok(lines.includes('"2026-11-25 14:00";"lobby";"Tyytyväinen";4;"home";"Hyvät aukioloajat"'), lines.join('\n'));
  assert.ok(lines.includes('"2026-11-25 14:00";"lobby";"Tosi tyytyväinen";5;"v-hall";""'));
  assert.ok(lines.includes('"2026-11-30 10:00";"lobby";"Tosi tyytymätön";1;"home";"(piilotettu)"'));
  assert.ok(lines.includes('"2026-11-27 11:00";"lobby";"Siltä väliltä";3;"home";"\'=HYPERLINK(""http://x"",""klikkaa"")"'), 'formula defused');
  assert.doesNotMatch(text, /040 123 4567/);
  // JSON: the same rows; a coordinator gets only their kiosk's.
  r = await get(as['coord-lobby'], 'format=json');
  const rows = JSON.parse(r.buf.toString('utf8'));
  assert.equal(rows.length, 4);
  assert.ok(rows.every((x) => x.kiosk === 'lobby'));
  assert.deepEqual(rows.find((x) => x.hidden), { hour: '2026-11-30 10:00', kiosk: 'lobby', face: 1, context: 'home', comment: null, hidden: true });
  r = await get(as.viewer, 'format=json&from=2026-11-26&to=2026-11-26');
  assert.deepEqual(JSON.parse(r.buf.toString('utf8')).map((x) => x.kiosk), ['hall', 'hall']);
  // xlsx: one sheet, a header and a row each, strings as strings (no formula cells).
  r = await get(as.viewer, 'format=xlsx&lang=en');
  assert.equal(r.status, 200);
  assert.match(r.type, /spreadsheetml/);
  const sheets = xlsxRows(r.buf);
  assert.deepEqual(Object.keys(sheets), ['Quick feedback']);
  const sh = sheets['Quick feedback'];
  assert.deepEqual(sh[0], ['Hour', 'Kiosk', 'Face', 'Face (1-5)', 'From', 'Comment']);
  assert.equal(sh.length, 1 + 6);
  assert.ok(sh.some((x) => x.join('|') === '2026-11-26 20:00|hall|Unhappy|2|home|Liian kylmä'), JSON.stringify(sh));
  assert.ok(sh.some((x) => x[5] === '(hidden)'));
  assert.ok(sh.some((x) => x[5] === '=HYPERLINK("http://x","klikkaa")'));
  assert.doesNotMatch(r.buf.toString('latin1'), /<f>/);
  r = await get(as['coord-lobby'], 'format=xlsx&kiosk=hall');
  assert.equal(r.status, 404);
  r = await get(as.viewer, 'format=pdf');
  assert.equal(r.status, 400);
});

test('feedback given on a real kiosk in script mode, synced, is in the heat map at its hour and weekday', async () => {
  const kiosk = process.env.KIOSK;
  const k = path.join(dir, 'kiosk.db'), tokenFile = path.join(dir, 'token'), script = path.join(dir, 'fb.script');
  fs.writeFileSync(tokenFile, tokens.hall + '\n');
  fs.writeFileSync(script, [
    'tap Palaute', 'expect text "Miten viihdyit täällä?"', 'tap "Tosi tyytyväinen"',
    'tap "Kommentti (vapaaehtoinen)"', 'type "kiva kioski"', 'tap "Lähetä palaute"',
    'expect text "Kiitos palautteestasi!"', ''].join('\n'));
  const env = { ...process.env, SDL_VIDEODRIVER: 'dummy',
    LSAN_OPTIONS: `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0` };
  let r = await run(kiosk, ['--headless', '--create-db', '--db', k, '--assets', path.join(SOURCE, 'assets'),
    '--script', script], { env, timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  r = spawnSync(KIOSKCTL, ['--db', k, 'responses', 'export', '--feedback', '--format', 'json'], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const stored = JSON.parse(r.stdout);
  const row = (Array.isArray(stored) ? stored : stored.feedback || stored.responses)[0];
  // The kiosk's run blocked this process, maybe past the server's deadline for idle
  // kept-alive connections: let fetch see those closed before it reuses one.
  await new Promise((res) => setTimeout(res, 200));
  const before = (await as.viewer.req('GET', 'results/feedback?kiosk=hall')).json;
  r = await run(KIOSKCTL, ['--db', k, 'sync', '--once', '--server', srv.url, '--token-file', tokenFile], { env });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const after = (await as.viewer.req('GET', 'results/feedback?kiosk=hall')).json;
  const { wd, h } = local(row.hour);
  assert.equal(after.heat[wd][h], before.heat[wd][h] + 1, `${row.hour} -> weekday ${wd} hour ${h}`);
  assert.equal(after.faces[4], before.faces[4] + 1);
  assert.equal(after.total, before.total + 1);
  const com = (await as.viewer.req('GET', 'results/feedback/comments?kiosk=hall')).json.comments;
  assert.equal(com[0].comment, 'Kiva kioski');  // a comment starts with a capital by itself
  assert.equal(com[0].face, 5);
});

test('a database from before the results tables: its stored feedback is counted on upgrade', { skip: PG && 'an upgrade of an SQLite file' }, async () => {
  const d = tmpdir();
  const old = serverDb(d);
  addUser(old, 'anna', 'administrator', PW);
  let s = await startServer(old);
  const c = new Client(s.url);
  await c.login('anna', PW);
  const tok = (await c.req('POST', 'kiosks', { name: 'lobby' })).json.token;
  await push(s.url, tok, [fb(1, '2026-11-25T12Z', 2, { comment: 'vanha' }), fb(2, '2026-11-25T13Z', 5, { context: 'v-x' })]);
  await s.stop();
  // What the previous version had: no results tables, no triggers, no module version.
  const drop = ['fb_hour', 'fb_card', 'fb_comment', 'fb_hour_all', 'fb_day', 'fb_card_total', 'fb_merged', 'fb_card_month']
    .map((t) => `DROP TABLE ${t};`).join(' ') + " DROP TRIGGER fb_count; DROP TRIGGER fb_merge; DROP TRIGGER fb_card_month; DROP INDEX ws_rows; DROP INDEX ws_first; DELETE FROM meta WHERE key = 'schema.server-results';";
  const r = spawnSync('sqlite3', [old, drop], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  s = await startServer(old);
  try {
    const c2 = new Client(s.url);
    await c2.login('anna', PW);
    const j = (await c2.req('GET', 'results/feedback')).json;
    assert.deepEqual([j.total, j.faces, j.kiosks, j.cards.map((x) => x.id)],
      [2, [0, 1, 0, 0, 1], [{ name: 'lobby', counts: [0, 1, 0, 0, 1] }], ['v-x']]);
    assert.equal((await c2.req('GET', 'results/feedback/comments')).json.comments[0].comment, 'vanha');
    assert.equal((await c2.req('GET', 'results/feedback?kiosk=lobby&from=2026-11-25&to=2026-11-25')).json.total, 2);
  } finally {
    await s.stop();
  }
});
