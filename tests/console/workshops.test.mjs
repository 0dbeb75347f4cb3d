// Workshops in the console against the real server: a workshop run on a real kiosk in
// script mode (two groups of Ylöjärvi's partnership forum), ended and synced with
// kioskctl, then listed with its kiosk, its groups' answers and the totals per
// question as the kiosk counts them; a coordinator limited to another kiosk does not
// see it; the page in Debian's Chromium, axe-clean, with screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, serverDb, addUser, admin, startServer, Client, SOURCE, KIOSKCTL, launchBrowser, newPage, axe, shots, text, until } from './harness.mjs';

const PW = 'correct horse battery';
const DEF = path.join(SOURCE, 'assets/content/surveys/ylojarvi-forum-workshop.json');
let dir, db, srv, browser, page, wsId;
const as = {};

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'viewer', 'viewer', PW);
  addUser(db, 'coord-hall', 'coordinator', PW, 'hall');
  addUser(db, 'coord-lobby', 'coordinator', PW, 'lobby');
  const r = admin(db, 'import-survey', DEF);
  assert.equal(r.status, 0, r.stderr);
  srv = await startServer(db);
  const setup = new Client(srv.url);
  assert.equal((await setup.login('anna', PW)).status, 200);
  const tokens = {};
  for (const k of ['lobby', 'hall']) tokens[k] = (await setup.req('POST', 'kiosks', { name: k })).json.token;
  // The kiosk runs the workshop as tests/ui/workshop.script does, up to its end.
  const k = path.join(dir, 'kiosk.db'), tokenFile = path.join(dir, 'token'), script = path.join(dir, 'ws.script');
  fs.writeFileSync(tokenFile, tokens.lobby + '\n');
  const lines = fs.readFileSync(path.join(SOURCE, 'tests/ui/workshop.script'), 'utf8').split('\n');
  const end = lines.findIndex((l) => l.startsWith('expect text "Päättynyt'));
  fs.writeFileSync(script, lines.slice(0, end + 1).filter((l) => !l.startsWith('shot ')).join('\n') + '\n');
  const env = { ...process.env, SDL_VIDEODRIVER: 'dummy',
    LSAN_OPTIONS: `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0` };
  const ctl = (...a) => {
    const x = spawnSync(KIOSKCTL, ['--db', k, ...a], { encoding: 'utf8', env, input: a[0] === 'pin' ? '2580\n' : undefined });
    assert.equal(x.status, 0, x.stdout + x.stderr);
    return x.stdout;
  };
  ctl('import', path.join(SOURCE, 'assets/content/sample.json'));
  ctl('pin', 'set');
  ctl('survey', 'import', DEF);
  const run = spawnSync(process.env.KIOSK, ['--headless', '--db', k, '--assets', path.join(SOURCE, 'assets'),
    '--today', '2026-11-25', '--idle', '60', '--size', '1920x1080', '--script', script], { encoding: 'utf8', env, timeout: 180000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  ctl('sync', '--once', '--server', srv.url, '--token-file', tokenFile);
  // The kiosk's run blocked this process past the server's deadline for idle kept-alive
  // connections: let fetch see those connections closed before it reuses one.
  await new Promise((res) => setTimeout(res, 200));
  for (const u of ['anna', 'viewer', 'coord-hall', 'coord-lobby']) {
    as[u] = new Client(srv.url);
    assert.equal((await as[u].login(u, PW)).status, 200);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the workshop is listed with its kiosk and groups; a coordinator of another kiosk sees none', async () => {
  const r = await as.viewer.req('GET', 'workshops');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.workshops.length, 1);
  const w = r.json.workshops[0];
  wsId = w.id;
  assert.match(w.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual([w.kiosk, w.survey, w.version, w.groups], ['lobby', 'ylojarvi-kumppanuusfoorumi', 1, 3]);
  assert.match(w.started, /^\d{4}-\d\d-\d\dT\d\dZ$/);
  assert.deepEqual((await as['coord-lobby'].req('GET', 'workshops')).json.workshops.map((x) => x.id), [wsId]);
  assert.deepEqual((await as['coord-hall'].req('GET', 'workshops')).json.workshops, []);
  assert.equal((await as['coord-hall'].req('GET', 'workshops/' + wsId)).status, 404);
  assert.equal((await as['coord-hall'].req('GET', 'workshops?kiosk=lobby')).status, 404);
  assert.equal((await as.viewer.req('GET', 'workshops/00000000-0000-4000-8000-000000000000')).status, 404);
  assert.equal((await as.viewer.req('GET', 'workshops/not-a-uuid')).status, 404);
});

test('one workshop: each group\'s answers and the totals per question as the kiosk counts them', async () => {
  const r = await as['coord-lobby'].req('GET', 'workshops/' + wsId);
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  assert.equal(j.title.fi, 'Kumppanuusfoorumi: järjestöjen ja kaupungin yhteistyö');
  assert.deepEqual(j.groups.map((g) => g.id), ['seniorit', 'sosiaali-terveys', 'muut']);
  assert.equal(j.groups[0].name.fi, 'Seniorit');
  assert.deepEqual(j.groups[0].answers.aiheet, ['Harrastustilat', 'Avustukset', 'Koulutus'].slice(0, j.groups[0].answers.aiheet.length));
  const q1 = j.questions[0];
  assert.equal(q1.type, 'top');
  assert.equal(q1.answered, 3);
  const tilat = q1.options.find((o) => o.id === 'tilat');
  assert.equal(tilat.count, 3, 'all three groups picked Tilat');
  assert.equal(tilat.rank, 1);
  // the pick-top question built from the groups' own entries
  const top = j.questions.find((q) => q.options.some((o) => o.id.includes('/')));
  assert.ok(top, 'a question with options from the groups\' entries');
  const ht = top.options.find((o) => o.text && Object.values(o.text).includes('Harrastustilat'));
  assert.ok(ht && ht.count >= 1, JSON.stringify(top.options));
  // the kiosk's own export counts the same
  const k = path.join(dir, 'kiosk.db');
  const x = spawnSync(KIOSKCTL, ['--db', k, 'workshop', 'export', wsId, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  const kj = JSON.parse(x.stdout);
  for (const q of j.questions) {
    const kq = kj.results[q.id];
    if (!kq) continue;
    assert.equal(q.answered, kq.answered, q.id);
    for (const o of kq.options || []) assert.equal(q.options.find((y) => y.id === o.id).count, o.count, `${q.id} ${o.id}`);
  }
});

test('the workshops page: the list, then the workshop\'s charts with tables and the groups\' answers; axe-clean in fi and en', async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', 'coord-lobby');
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav a[href="#/workshops"]');
  await page.click('nav a[href="#/workshops"]');
  await page.waitForSelector('#ws-list');
  assert.match(await text(page, `#ws-list tr[data-id="${wsId}"]`), /ylojarvi-kumppanuusfoorumi \(1\)\s+lobby/);
  await axe(page, 'workshops list');
  await shots(page, 'workshops-list');
  await page.click(`#ws-list tr[data-id="${wsId}"] a`);
  await page.waitForSelector('#ws-groups');
  assert.equal(await text(page, 'h1'), 'Kumppanuusfoorumi: järjestöjen ja kaupungin yhteistyö');
  // every chart labelled and with its numbers in the table beside it
  const charts = await page.$$eval('svg.chart', (v) => v.length);
  const tables = await page.$$eval('.chart-pair table.data', (v) => v.length);
  assert.equal(charts, 2, 'the two questions with options');
  assert.equal(charts, tables);
  // free text as a list, each entry with its group
  assert.match(await text(page, 'main'), /Harrastustilat \(Seniorit\)/);
  assert.match(await text(page, 'tr[data-option="tilat"]'), /Tilat\s+3\s+100 %/);
  assert.match(await text(page, '#ws-groups tr[data-group="seniorit"]'), /Seniorit[\s\S]*Harrastustilat · Avustukset/);
  assert.equal(await page.$$eval('#ws-groups tbody tr', (v) => v.length), 3);
  await axe(page, 'one workshop');
  await shots(page, 'workshop');
  await page.click('.langs button[lang=en]');
  await until(async () => /The groups' answers/.test(await text(page, 'main')), 'English page');
  await axe(page, 'one workshop in English');
  await page.click('.langs button[lang=fi]');
});
