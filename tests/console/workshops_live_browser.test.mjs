// The live workshop screen in Debian's Chromium while a real kiosk (script mode, synced
// to the real server) runs the workshop: the coordinator opens the running workshop's
// live screen; another group answers on the kiosk; the chart and its table change
// in the browser within seconds, without the page reloading (a marker set on window
// survives).  A second screen, over the server's cap on live streams (503), follows
// by polling.  Full screen by key; axe-clean; screenshots at 1366x768 and 1920x1080.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, addUser, admin, startServer, Client, SOURCE, KIOSKCTL, launchBrowser, newPage, axe, shots, text, until } from './harness.mjs';

const PW = 'correct horse battery';
const DEF = path.join(SOURCE, 'assets/content/surveys/ylojarvi-forum-workshop.json');
let dir, srv, browser, runKiosk, kioskOut = '';

before(async () => {
  dir = tmpdir();
  const db = path.join(dir, 'server.db');
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'coord-lobby', 'coordinator', PW, 'lobby');
  assert.equal(admin(db, 'import-survey', DEF).status, 0);
  // one live stream at most: the second screen must fall back to polling
  srv = await startServer(db, ['--live-streams', '1']);
  const setup = new Client(srv.url);
  assert.equal((await setup.login('anna', PW)).status, 200);
  const token = (await setup.req('POST', 'kiosks', { name: 'lobby' })).json.token;
  const k = path.join(dir, 'kiosk.db'), tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, token + '\n');
  const env = { ...process.env, SDL_VIDEODRIVER: 'dummy',
    LSAN_OPTIONS: `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0` };
  for (const a of [['import', path.join(SOURCE, 'assets/content/sample.json')], ['pin', 'set'], ['survey', 'import', DEF]]) {
    const x = spawnSync(KIOSKCTL, ['--db', k, ...a], { encoding: 'utf8', env, input: a[0] === 'pin' ? '2580\n' : undefined });
    assert.equal(x.status, 0, x.stdout + x.stderr);
  }
  // One run of the kiosk in script mode, synced to the server; it keeps running
  // (realtime) long enough for its sync thread to send what the taps saved.
  const script = path.join(dir, 'live.script');
  runKiosk = (lines) => new Promise((resolve) => {
    fs.writeFileSync(script, ['longpress 30 30 3100', 'type 2580', 'tap OK', 'tap Työpajat', ...lines,
      'realtime 1500', ''].join('\n'));
    const kiosk = spawn(process.env.KIOSK, ['--headless', '--db', k, '--assets', path.join(SOURCE, 'assets'),
      '--today', '2026-11-25', '--idle', '600', '--size', '1920x1080', '--script', script,
      '--server', srv.url, '--token-file', tokenFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    kiosk.stdout.on('data', (d) => { kioskOut += d; });
    kiosk.stderr.on('data', (d) => { kioskOut += d; });
    kiosk.once('exit', (code) => resolve(code));
  });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const count = (page, opt) => page.$eval(`#live tr[data-option="${opt}"] td`, (e) => e.innerText.trim()).catch(() => null);
const barValue = (page, n) => page.$$eval('#live svg.chart', (v, i) => v[0] && v[0].querySelectorAll('text.chart-value')[i].textContent, n);

test('the live screen follows a group\'s answers on the kiosk without reloading; over the cap it polls', async () => {
  // The coordinator starts the workshop on the kiosk; Seniorit answer the first question.
  assert.equal(await runKiosk(['tap Aloita', 'tap Seniorit', 'tap "Foorumit (2 kpl)"', 'tap Tilat',
    'tap Yhdistysavustukset', 'tap "Tallenna ja jatka"',
    'expect text "Mikä on kaupungin ja muiden toimijoiden yhteinen tavoite?"']), 0, kioskOut);
  const coord = new Client(srv.url);
  assert.equal((await coord.login('coord-lobby', PW)).status, 200);
  // the kiosk sends the group's first answer at once (not at its 60 s timer)
  let ws;
  await until(async () => {
    const l = (await coord.req('GET', 'workshops')).json.workshops;
    ws = l.find((w) => w.running);
    return ws;
  }, 'the running workshop on the server\n' + kioskOut, 5000);
  browser = await launchBrowser();
  const page = await newPage(browser);
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', 'coord-lobby');
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav a[href="#/workshops"]');
  await page.click('nav a[href="#/workshops"]');
  await page.waitForSelector(`#ws-list tr[data-id="${ws.id}"]`);
  assert.match(await text(page, `#ws-list tr[data-id="${ws.id}"]`), /Käynnissä/);
  await page.click(`#ws-list tr[data-id="${ws.id}"] a`);
  await page.waitForSelector('#ws-live');
  assert.equal(await text(page, '#ws-live'), 'Avaa esitysnäkymä');
  await page.click('#ws-live');
  await page.waitForSelector('#live tr[data-option="tilat"]');
  await until(async () => /heti/.test(await text(page, '#live-status')), 'the events connected');
  assert.equal(await count(page, 'tilat'), '1');
  assert.equal(await count(page, 'koordinaatio-kaupunki'), '0');
  assert.match(await text(page, '#live-groups'), /1$/);
  const before = await barValue(page, 5);
  await page.evaluate(() => { window.liveMarker = 'kept'; });
  await axe(page, 'live screen');
  await shots(page, 'workshop-live');

  // a second screen: the one stream is taken (503), so it polls
  const page2 = await newPage(browser);
  await page2.goto(srv.url + `/console/#/workshops/${ws.id}/live`);
  await page2.waitForSelector('#live tr[data-option="tilat"]');
  await until(async () => /sekunnin välein/.test(await text(page2, '#live-status')), 'the second screen polling');
  await page2.evaluate(() => { window.liveMarker = 'kept'; });

  // Another group answers on the kiosk (reopening the running workshop); the answer
  // arrives on both screens without a reload.
  const ran = runKiosk(['tap "yhteistyö · "', 'expect text "Käynnissä: valitse ryhmä, jonka vuoro on."',
    'tap Muut', 'tap Tilat', 'tap "Koordinaatio kaupungin toimesta"', 'tap "Vapaaehtoistyön koordinointi"',
    'tap "Tallenna ja jatka"', 'expect text "Mikä on kaupungin ja muiden toimijoiden yhteinen tavoite?"']);
  const t0 = Date.now();
  await until(async () => (await count(page, 'koordinaatio-kaupunki')) === '1', 'the change on the live screen', 60000)
    .catch(async (e) => {
      const w = (await coord.req('GET', 'workshops/' + ws.id)).json;
      throw new Error(`${e.message}\nserver: ${JSON.stringify(w.groups)}\npage: ${await text(page, '#live-status')}\nkiosk: ${kioskOut}`);
    });
  const seenMs = Date.now() - t0;
  assert.equal(await count(page, 'tilat'), '2');
  assert.match(await text(page, '#live-groups'), /2$/);
  assert.notEqual(await barValue(page, 5), before, 'the chart changed with the table');
  assert.equal(await page.evaluate(() => window.liveMarker), 'kept', 'the page did not reload');
  await until(async () => (await count(page2, 'koordinaatio-kaupunki')) === '1', 'the change on the polling screen', 8000);
  assert.equal(await page2.evaluate(() => window.liveMarker), 'kept');
  await page2.close();
  console.log(`# change seen ${seenMs} ms after the kiosk started`);

  // full screen by the F key, and back
  await page.keyboard.press('f');
  await until(() => page.evaluate(() => document.fullscreenElement && document.fullscreenElement.id === 'live'), 'full screen');
  // The button's label follows the fullscreenchange event, a render after the switch.
  await until(async () => (await text(page, '#live-full')) === 'Poistu koko näytöstä', 'the exit label');
  await shots(page, 'workshop-live-changed');
  await page.keyboard.press('f');
  await until(() => page.evaluate(() => !document.fullscreenElement), 'full screen left');
  for (const lang of ['sv', 'en']) {
    await page.click(`.langs button[lang=${lang}]`);
    await page.waitForSelector('#live tr[data-option="tilat"]');
    await axe(page, 'live screen in ' + lang);
  }
  await until(async () => (await text(page, '#live-full')) === 'Full screen', 'the English label');
  assert.equal(await ran, 0, kioskOut);
});
