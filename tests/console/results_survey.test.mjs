// Survey results against the real server (docs/admin-api.md, "Results: surveys"): a
// survey in two versions answered from two kiosks; per question the summary its type
// calls for, the same question of both versions counted together and a changed one
// apart; responses per day; filters by kiosk, period and version; free text newest
// first, paged, hidden by a coordinator; a coordinator limited to one kiosk sees only
// that kiosk (the server enforces it); exports as Finnish CSV, JSON and xlsx (one
// sheet per version) parsed here; and a survey answered on a real kiosk in script
// mode in two versions, synced with kioskctl, on the same results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, serverDb, PG, addUser, admin, startServer, Client, SOURCE, KIOSKCTL } from './harness.mjs';
import { push, uuid } from './feedback.mjs';
import { SURVEY_ID, surveyV1, surveyV2, resp, run } from './results_survey.mjs';

process.env.TZ = 'Europe/Helsinki';
const PW = 'correct horse battery';
let dir, db, srv;
const as = {};
const tokens = {};
const R = `results/surveys/${SURVEY_ID}`;

before(async () => {
  dir = tmpdir('survres-');
  db = serverDb(dir);
  for (const r of ['administrator', 'editor', 'viewer']) addUser(db, r, r, PW);
  addUser(db, 'coord-lobby', 'coordinator', PW, 'lobby');
  srv = await startServer(db);
  for (const r of ['administrator', 'editor', 'viewer', 'coord-lobby']) {
    as[r] = new Client(srv.url);
    assert.equal((await as[r].login(r, PW)).status, 200);
  }
  for (const s of [surveyV1(), surveyV2()]) {
    const r = await as.administrator.req('POST', 'docs/import?type=survey', JSON.stringify(s));
    assert.equal(r.status, 200, r.text);
  }
  for (const k of ['lobby', 'hall']) tokens[k] = (await as.administrator.req('POST', 'kiosks', { name: k })).json.token;
  await push(srv.url, tokens.lobby, [
    resp(uuid(1), 1, '2026-11-25T12Z', { visits: 'weekly', services: ['books', 'events'], top: ['b', 'a'], satisfaction: 4, age: 30, comment: 'Hyvä kirjasto' }),
    resp(uuid(2), 1, '2026-11-25T13Z', { visits: 'monthly', services: ['computers'], top: ['a', 'c'], satisfaction: 5, age: 41, comment: '=1+1' }),
    resp(uuid(4), 2, '2026-11-30T08Z', { visits: 'daily', services: ['books'], top: ['c', 'a'], satisfaction: 4, age: 30, comment: 'Soittakaa 040 123 4567', wish: 'Lisää aukioloa' }),
  ]);
  await push(srv.url, tokens.hall, [
    resp(uuid(3), 1, '2026-11-26T18Z', { visits: 'weekly', services: ['books'], top: ['a', 'b'], satisfaction: 2, age: 67, comment: 'Liian kylmä' }),
    resp(uuid(5), 2, '2026-11-30T09Z', { visits: 'weekly', top: ['a', 'b'], satisfaction: 3, age: 25 }),
  ]);
});

after(async () => { if (srv) await srv.stop(); });

const q = (j, id, v) => j.questions.find((x) => x.id === id && (!v || x.versions.includes(v)));
const opts = (x) => Object.fromEntries(x.options.map((o) => [o.id, o.count]));

test('the list of surveys with responses per version', async () => {
  const r = await as.viewer.req('GET', 'results/surveys');
  assert.equal(r.status, 200, r.text);
  const s = r.json.surveys.find((x) => x.id === SURVEY_ID);
  assert.deepEqual([s.title.en, s.responses, s.versions], ['Library poll 2027', 5,
    [{ version: 1, responses: 3 }, { version: 2, responses: 2 }]]);
});

test('per question the right summary; the same question of both versions together, a changed one apart', async () => {
  const r = await as.viewer.req('GET', R);
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.responses, 5);
  assert.deepEqual(j.versions, [{ version: 1, responses: 3 }, { version: 2, responses: 2 }]);
  assert.deepEqual(j.days, [{ day: '2026-11-25', count: 2 }, { day: '2026-11-26', count: 1 }, { day: '2026-11-30', count: 2 }]);
  // "visits" got an option in version 2: shown twice, each naming its version.
  const visits = j.questions.filter((x) => x.id === 'visits');
  assert.deepEqual(visits.map((x) => [x.versions, x.changed, x.answered, opts(x)]), [
    [[2], true, 2, { daily: 1, weekly: 1, monthly: 0, rarely: 0 }],
    [[1], true, 3, { weekly: 2, monthly: 1, rarely: 0 }]]);
  const services = q(j, 'services');
  assert.deepEqual([services.versions, services.changed, services.answered, opts(services)],
    [[1, 2], false, 4, { books: 3, computers: 1, events: 1 }]);
  const top = q(j, 'top');
  assert.equal(top.ranked, true);
  assert.deepEqual(top.options.map((o) => [o.id, o.count, o.first, o.average_rank]),
    [['a', 5, 3, 1.4], ['b', 3, 1, 1.667], ['c', 2, 1, 1.5], ['d', 0, 0, undefined]]);
  const sat = q(j, 'satisfaction');
  assert.deepEqual([sat.steps.map((s) => s.count), sat.median, sat.mean, sat.answered, sat.low.en], [[0, 1, 1, 2, 1], 4, 3.6, 5, 'Not at all']);
  const age = q(j, 'age');
  assert.deepEqual([age.answered, age.median, age.mean, age.min, age.max, age.unit.fi], [5, 30, 38.6, 25, 67, 'vuotta']);
  assert.equal(age.bins.reduce((a, b) => a + b.count, 0), 5);
  // Ten equal widths from the smallest to the largest answer (4.2 years each).
  assert.deepEqual(age.bins.map((b) => b.count), [1, 2, 0, 1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual([age.bins[0].from, age.bins[1].from, age.bins.at(-1).to], [25, 29.2, 67]);
  // Free text newest first, with kiosk, local hour and version; a question only version 2 asks.
  assert.deepEqual(q(j, 'comment').texts.map((t) => [t.text, t.kiosk, t.local, t.version]), [
    ['Soittakaa 040 123 4567', 'lobby', '2026-11-30 10:00', 2], ['Liian kylmä', 'hall', '2026-11-26 20:00', 1],
    ['=1+1', 'lobby', '2026-11-25 15:00', 1], ['Hyvä kirjasto', 'lobby', '2026-11-25 14:00', 1]]);
  assert.deepEqual([q(j, 'wish').versions, q(j, 'wish').texts.map((t) => t.text)], [[2], ['Lisää aukioloa']]);
});

test('filters: kiosk, period (local days, inclusive) and version; bad ones name their field', async () => {
  let j = (await as.viewer.req('GET', R + '?kiosk=hall')).json;
  assert.deepEqual([j.responses, q(j, 'satisfaction').steps.map((s) => s.count)], [2, [0, 1, 1, 0, 0]]);
  j = (await as.viewer.req('GET', R + '?from=2026-11-30')).json;
  assert.deepEqual([j.responses, j.days, opts(q(j, 'services'))], [2, [{ day: '2026-11-30', count: 2 }], { books: 1, computers: 0, events: 0 }]);
  j = (await as.viewer.req('GET', R + '?from=2026-11-25&to=2026-11-26&kiosk=lobby')).json;
  assert.deepEqual([j.responses, q(j, 'age').median], [2, 35.5]);
  j = (await as.viewer.req('GET', R + '?version=1')).json;
  assert.deepEqual([j.responses, j.questions.map((x) => x.id), q(j, 'visits').changed], [3,
    ['visits', 'services', 'top', 'satisfaction', 'age', 'comment'], false]);
  for (const [bad, field, status] of [['from=2026-13-01', 'from', 400], ['version=x', 'version', 400], ['version=7', 'version', 404], ['kiosk=nowhere', 'kiosk', 404]]) {
    const r = await as.viewer.req('GET', R + '?' + bad);
    assert.deepEqual([r.status, r.json.field], [status, field], bad);
  }
  assert.equal((await as.viewer.req('GET', 'results/surveys/no-such-survey')).status, 404);
});

test('free text pages on where it stopped', async () => {
  let r = await as.viewer.req('GET', R + '/texts?question=comment&versions=1,2&limit=3');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.texts.length, 3);
  r = await as.viewer.req('GET', R + `/texts?question=comment&versions=1,2&limit=3&before=${r.json.next_before}`);
  assert.deepEqual([r.json.texts.map((t) => t.text), r.json.next_before], [['Hyvä kirjasto'], undefined]);
  r = await as.viewer.req('GET', R + '/texts?question=comment&versions=1');
  assert.equal(r.json.texts.length, 3);
  assert.equal((await as.viewer.req('GET', R + '/texts?question=comment&before=x')).status, 400);
  assert.equal((await as.viewer.req('GET', R + '/texts')).status, 400);
});

test('a coordinator limited to one kiosk sees only that kiosk, and hides only its texts', async () => {
  const c = as['coord-lobby'];
  let j = (await c.req('GET', R)).json;
  assert.deepEqual([j.responses, opts(q(j, 'services'))], [3, { books: 2, computers: 1, events: 1 }]);
  assert.ok(q(j, 'comment').texts.every((t) => t.kiosk === 'lobby'));
  assert.equal((await c.req('GET', R + '?kiosk=hall')).status, 404);
  const list = (await c.req('GET', 'results/surveys')).json.surveys.find((x) => x.id === SURVEY_ID);
  assert.deepEqual(list.versions, [{ version: 1, responses: 2 }, { version: 2, responses: 1 }]);
  // The other kiosk's text cannot be hidden (nor told apart from a missing one).
  let r = await c.req('POST', R + '/texts/hide', { uuid: uuid(3), question: 'comment' });
  assert.equal(r.status, 404);
  r = await c.req('POST', R + '/texts/hide', { uuid: uuid(4), question: 'comment' });
  assert.equal(r.status, 200, r.text);
  for (const who of ['administrator', 'viewer', 'coord-lobby']) {
    const t = q((await as[who].req('GET', R)).json, 'comment').texts.find((x) => x.uuid === uuid(4));
    assert.deepEqual([t.text, t.hidden.by], [undefined, 'coord-lobby'], who);
  }
  const audit = (await as.administrator.req('GET', 'audit?action=survey.')).json.entries;
  assert.deepEqual(audit.map((a) => [a.user, a.action, a.target, a.detail]),
    [['coord-lobby', 'survey.hide', uuid(4), `survey ${SURVEY_ID} question comment kiosk lobby`]]);
  for (const who of ['viewer', 'editor']) assert.equal((await as[who].req('POST', R + '/texts/hide', { uuid: uuid(1), question: 'comment' })).status, 403);
  // Kept: the stored response still has it.
  assert.match(admin(db, 'export-responses', '--format', 'json').stdout, /040 123 4567/);
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
        cells = {}
        for c in r.findall('m:c', ns):
            t = c.find('m:is/m:t', ns)
            v = c.find('m:v', ns)
            col = ''.join(ch for ch in c.get('r') if ch.isalpha())
            cells[col] = t.text if t is not None else (v.text if v is not None else '')
        rows.append(cells)
    out[sh.get('name')] = rows
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', py, f], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// A CSV of the Finnish form: cells split on ';' outside quotes, quotes undone.
function csvRows(text) {
  assert.ok(text.startsWith('\uFEFF'), 'byte order mark');
  const rows = [];
  let row = [], cell = '', quoted = false, i = 1;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  return rows;
}

test('exports: Finnish CSV, JSON, xlsx with a sheet per version; filters and kiosks applied', async () => {
  const get = async (c, qs) => {
    const r = await fetch(srv.url + `/v1/admin/${R}/export?` + qs, { headers: { Cookie: c.cookie } });
    return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), buf: Buffer.from(await r.arrayBuffer()) };
  };
  let r = await get(as.viewer, 'format=csv');
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/csv/);
  assert.match(r.disp, new RegExp(`attachment; filename="${SURVEY_ID}.csv"`));
  const text = r.buf.toString('utf8');
  assert.match(text, /\r\n/);
  const rows = csvRows(text);
  assert.equal(rows.length, 1 + 5);
  const head = rows[0];
  assert.deepEqual(head.slice(0, 3), ['Versio', 'Tunti', 'Kioski']);
  const col = (re) => head.findIndex((h) => re.test(h));
  const byHour = Object.fromEntries(rows.slice(1).map((x) => [x[1] + ' ' + x[2], x]));
  const r2 = byHour['2026-11-25 15:00 lobby'];
  assert.equal(r2[0], '1');
  assert.equal(r2[col(/^comment /)], "'=1+1", 'formula defused');
  assert.equal(r2[col(/^visits /)], 'Kuukausittain');
  assert.equal(r2[col(/^top .*Tilat/)], '2');
  assert.equal(byHour['2026-11-30 10:00 lobby'][col(/^comment /)], '(piilotettu)');
  assert.doesNotMatch(text, /040 123 4567/);
  // Numbers are not quoted: a version and an age as Finnish spreadsheets read them.
  assert.match(text, /\r\n1;"2026-11-25 15:00";"lobby"/);
  // JSON: definitions and responses; a coordinator's only of their kiosk.
  r = await get(as['coord-lobby'], 'format=json');
  const j = JSON.parse(r.buf.toString('utf8'));
  assert.deepEqual([j.format, j.survey, j.definitions.map((d) => d.version)], ['kiosk-responses', SURVEY_ID, [1, 2]]);
  assert.equal(j.responses.length, 3);
  assert.ok(j.responses.every((x) => x.kiosk === 'lobby'));
  // A row with nothing hidden (its answers written out as stored) has the same shape.
  const plain = j.responses.find((x) => x.uuid === uuid(2));
  assert.deepEqual(plain, { uuid: uuid(2), version: 1, hour: '2026-11-25 15:00', kiosk: 'lobby',
    answers: { visits: 'monthly', services: ['computers'], top: ['a', 'c'], satisfaction: 5, age: 41, comment: '=1+1' },
    hidden: [] });
  const hidden = j.responses.find((x) => x.uuid === uuid(4));
  assert.deepEqual([hidden.hidden, hidden.answers.comment, hidden.answers.wish], [['comment'], undefined, 'Lisää aukioloa']);
  r = await get(as.viewer, 'format=json&from=2026-11-30&kiosk=hall');
  assert.deepEqual(JSON.parse(r.buf.toString('utf8')).responses.map((x) => x.uuid), [uuid(5)]);
  // xlsx: a sheet per version, each with its own questions.
  r = await get(as.viewer, 'format=xlsx&lang=en');
  assert.equal(r.status, 200);
  assert.match(r.type, /spreadsheetml/);
  const sheets = xlsxRows(r.buf);
  assert.deepEqual(Object.keys(sheets), ['Version 1', 'Version 2']);
  assert.deepEqual([sheets['Version 1'].length, sheets['Version 2'].length], [4, 3]);
  const h2 = sheets['Version 2'][0];
  assert.deepEqual([h2.A, h2.B, h2.C], ['Version', 'Hour', 'Kiosk']);
  assert.ok(Object.values(h2).some((h) => /^visits .*/.test(h)));
  assert.ok(Object.values(h2).some((h) => /^wish /.test(h)));
  assert.ok(!Object.values(sheets['Version 1'][0]).some((h) => /^wish /.test(h)));
  const v2 = sheets['Version 2'].slice(1).map((x) => Object.values(x));
  assert.ok(v2.some((x) => x.includes('Daily') && x.includes('(hidden)') && x.includes('Lisää aukioloa')), JSON.stringify(v2));
  assert.ok(sheets['Version 1'].slice(1).some((x) => Object.values(x).includes('=1+1')));
  assert.doesNotMatch(r.buf.toString('latin1'), /<f>/);
  r = await get(as.viewer, 'format=xlsx&version=2');
  assert.deepEqual(Object.keys(xlsxRows(r.buf)), ['Versio 2']);
  assert.equal((await get(as['coord-lobby'], 'format=csv&kiosk=hall')).status, 404);
  assert.equal((await get(as.viewer, 'format=pdf')).status, 400);
});

test('a survey answered on a real kiosk in script mode, in two versions, synced, is on one page', async () => {
  const kiosk = process.env.KIOSK;
  const k = path.join(dir, 'kiosk.db'), tokenFile = path.join(dir, 'token');
  const token = (await as.administrator.req('POST', 'kiosks', { name: 'branch' })).json.token;
  fs.writeFileSync(tokenFile, token + '\n');
  const env = { ...process.env, SDL_VIDEODRIVER: 'dummy',
    LSAN_OPTIONS: `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0` };
  const ctl = async (...args) => {
    const r = await run(KIOSKCTL, ['--db', k, ...args], { env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return r.stdout;
  };
  await ctl('import', path.join(SOURCE, 'assets/content/sample.json'));
  // One resident answers version 1; the kiosk then gets version 2 and another answers it.
  const runs = [[surveyV1(), ['tap Viikoittain', 'tap Seuraava', 'expect text "Mitä käytät?"', 'tap Kirjoja', 'tap Seuraava',
    'expect text "Tärkeimmät kaksi"', 'tap Tilat', 'tap Aukioloajat', 'tap Seuraava', 'expect text "Kuinka tyytyväinen olet?"',
    'tap Seuraava', 'expect text "Ikäsi"', 'type 42', 'tap Seuraava', 'expect text "Terveiset kirjastolle"',
    'type "kioskilta terveisiä"', 'tap Seuraava']],
  [surveyV2(), ['tap Päivittäin', 'tap Seuraava', 'expect text "Mitä käytät?"', 'tap Tapahtumia', 'tap Seuraava',
    'tap Seuraava', 'tap Seuraava', 'tap Seuraava', 'tap Seuraava', 'expect text "Toiveesi"', 'type "lisää lehtiä"', 'tap Seuraava']]];
  for (const [i, [def, steps]] of runs.entries()) {
    const f = path.join(dir, `v${i + 1}.json`), script = path.join(dir, `survey${i + 1}.script`);
    fs.writeFileSync(f, JSON.stringify(def));
    await ctl('survey', 'import', f);
    fs.writeFileSync(script, ['expect text "Vastaa lyhyeen kyselyyn"', 'tap "Vastaa lyhyeen kyselyyn"', 'tap "Aloita kysely"', 'expect text "Kuinka usein käyt?"',
      ...steps, 'tap "Lähetä vastaukset"', 'expect text "Kiitos vastauksistasi!"', ''].join('\n'));
    const r = await run(kiosk, ['--headless', '--db', k, '--assets', path.join(SOURCE, 'assets'), '--script', script],
      { env, timeout: 120000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  await ctl('sync', '--once', '--server', srv.url, '--token-file', tokenFile);
  const j = (await as.viewer.req('GET', R + '?kiosk=branch')).json;
  assert.deepEqual([j.responses, j.versions], [2, [{ version: 1, responses: 1 }, { version: 2, responses: 1 }]]);
  // The same question of both versions together; the changed one apart, per version.
  assert.deepEqual(opts(q(j, 'services')), { books: 1, computers: 0, events: 1 });
  assert.deepEqual([opts(q(j, 'visits', 2)).daily, opts(q(j, 'visits', 1)).weekly], [1, 1]);
  assert.deepEqual(q(j, 'top').options.map((o) => [o.id, o.count, o.first]), [['a', 1, 0], ['b', 0, 0], ['c', 1, 1], ['d', 0, 0]]);
  assert.deepEqual([q(j, 'age').answered, q(j, 'age').median], [1, 42]);
  assert.deepEqual([q(j, 'comment').texts.map((t) => t.text), q(j, 'wish').texts.map((t) => [t.text, t.kiosk, t.version])],
    [['Kioskilta terveisiä'], [['Lisää lehtiä', 'branch', 2]]]);
});

test('a database from before the survey results tables: its stored responses are counted on upgrade', { skip: PG && 'an upgrade of an SQLite file' }, async () => {
  const d = tmpdir('survres-old-');
  const old = serverDb(d);
  addUser(old, 'anna', 'administrator', PW);
  let s = await startServer(old);
  const c = new Client(s.url);
  await c.login('anna', PW);
  for (const def of [surveyV1(), surveyV2()]) assert.equal((await c.req('POST', 'docs/import?type=survey', JSON.stringify(def))).status, 200);
  const tok = (await c.req('POST', 'kiosks', { name: 'lobby' })).json.token;
  await push(s.url, tok, [
    resp(uuid(1), 1, '2026-11-25T12Z', { visits: 'weekly', services: ['books', 'events'], top: ['b', 'a'], satisfaction: 4, comment: 'vanha' }),
    resp(uuid(2), 2, '2026-11-26T12Z', { visits: 'daily', services: ['books'], age: 50 })]);
  await s.stop();
  // What the previous version had: no survey tables, no triggers, no module version.
  const drop = ['sv_qtype', 'sv_resp', 'sv_day', 'sv_cnt', 'sv_cnt_all', 'sv_cnt_month', 'sv_tot', 'sv_text'].map((t) => `DROP TABLE ${t};`).join(' ') +
    " DROP TRIGGER sv_doc; DROP TRIGGER sv_count; DELETE FROM meta WHERE key = 'schema.server-survey-results';";
  const r = spawnSync('sqlite3', [old, drop], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  s = await startServer(old);
  try {
    const c2 = new Client(s.url);
    await c2.login('anna', PW);
    let j = (await c2.req('GET', R)).json;
    assert.deepEqual([j.responses, opts(q(j, 'services')), q(j, 'comment').texts.map((t) => t.text), q(j, 'age').median],
      [2, { books: 2, computers: 0, events: 1 }, ['vanha'], 50]);
    j = (await c2.req('GET', R + '?from=2026-11-26')).json;
    assert.deepEqual([j.responses, opts(q(j, 'services'))], [1, { books: 1, computers: 0, events: 0 }]);
  } finally {
    await s.stop();
  }
});
