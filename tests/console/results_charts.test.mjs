// Taps the kiosk's misuse rule merged, summed on the server (each feedback's "merged")
// and shown on the results page; every chart downloadable as SVG and PNG by keyboard.
// Real server, a real kiosk in script mode synced with kioskctl, Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { tmpdir, serverDb, addUser, startServer, Client, SOURCE, KIOSKCTL, launchBrowser, newPage, axe, shots, text, until } from './harness.mjs';
import { push, uuid } from './feedback.mjs';

process.env.TZ = 'Europe/Helsinki';
const PW = 'correct horse battery';
let dir, db, srv, browser, page;
const as = {};
const tokens = {};
const fb = (n, hour, score, extra = {}) => ({ uuid: uuid(n), kind: 'feedback',
  payload: { type: 'feedback', hour, score, context: 'home', ...extra } });

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'viewer', 'viewer', PW);
  addUser(db, 'coord-lobby', 'coordinator', PW, 'lobby');
  srv = await startServer(db);
  for (const r of ['anna', 'viewer', 'coord-lobby']) {
    as[r] = new Client(srv.url);
    assert.equal((await as[r].login(r, PW)).status, 200);
  }
  for (const k of ['lobby', 'hall']) tokens[k] = (await as.anna.req('POST', 'kiosks', { name: k })).json.token;
  await push(srv.url, tokens.lobby, [
    fb(1, '2026-11-25T12Z', 4, { merged: 2 }),
    fb(2, '2026-11-26T12Z', 5, { merged: 3 }),
    fb(3, '2026-11-26T13Z', 1),
  ]);
  await push(srv.url, tokens.hall, [
    fb(4, '2026-11-26T18Z', 2, { merged: 1 }),
    // not summed: not a number, below one, beyond any kiosk, or not counted feedback
    fb(5, '2026-11-26T18Z', 3, { merged: 'x' }),
    fb(6, '2026-11-26T18Z', 3, { merged: -4 }),
    fb(7, '2026-11-26T18Z', 3, { merged: 1e12 }),
    fb(8, '2026-11-26T18Z', 9, { merged: 5 }),
  ]);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('merged taps are summed per filter and kiosk, and a coordinator sees only their kiosks\'', async () => {
  let j = (await as.viewer.req('GET', 'results/feedback')).json;
  assert.equal(j.merged, 6);
  assert.equal(j.total, 7);
  assert.equal((await as.viewer.req('GET', 'results/feedback?kiosk=hall')).json.merged, 1);
  assert.equal((await as.viewer.req('GET', 'results/feedback?from=2026-11-26&to=2026-11-26')).json.merged, 4);
  j = (await as['coord-lobby'].req('GET', 'results/feedback')).json;
  assert.equal(j.merged, 5);
});

test('two taps on a real kiosk are one feedback with one merged tap on the server', async () => {
  const k = path.join(dir, 'kiosk.db'), tokenFile = path.join(dir, 'token'), script = path.join(dir, 'fb.script');
  fs.writeFileSync(tokenFile, tokens.hall + '\n');
  fs.writeFileSync(script, ['tap Palaute', 'tap "Tosi tyytyväinen"', 'tap Tyytyväinen', 'tap Etusivu', ''].join('\n'));
  const env = { ...process.env, SDL_VIDEODRIVER: 'dummy',
    LSAN_OPTIONS: `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0` };
  let r = spawnSync(process.env.KIOSK, ['--headless', '--create-db', '--db', k, '--assets', path.join(SOURCE, 'assets'),
    '--script', script], { encoding: 'utf8', env, timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // The kiosk's run blocked this process, maybe past the server's deadline for idle
  // kept-alive connections: let fetch see those closed before it reuses one.
  await new Promise((res) => setTimeout(res, 200));
  const before = (await as.viewer.req('GET', 'results/feedback?kiosk=hall')).json;
  r = spawnSync(KIOSKCTL, ['--db', k, 'sync', '--once', '--server', srv.url, '--token-file', tokenFile], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const after = (await as.viewer.req('GET', 'results/feedback?kiosk=hall')).json;
  assert.equal(after.total, before.total + 1);
  assert.equal(after.faces[3], before.faces[3] + 1, 'the last face tapped counts');
  assert.equal(after.merged, before.merged + 1);
});

async function login(name) {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', name);
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav');
}

// The files the page saves, from Chromium's download folder.
async function downloaded(dl, name) {
  const f = path.join(dl, name);
  await until(async () => fs.existsSync(f) && fs.statSync(f).size > 0, 'download of ' + name, 10000);
  return fs.readFileSync(f);
}

test('results page: merged taps shown; every chart saved as SVG and PNG by keyboard', async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  const dl = tmpdir('downloads-');
  const cdp = await page.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dl });
  await login('viewer');
  await page.goto(srv.url + '/console/#/feedback');
  await page.waitForSelector('#faces-table');
  assert.match(await text(page, '#fb-merged'), /Toistuvia napautuksia yhdistetty: 7/);
  // every chart has its two buttons, named after the chart
  const frames = await page.$$eval('.chart-frame', (v) => v.map((f) => [f.querySelectorAll('svg.chart').length,
    [...f.querySelectorAll('button[data-download]')].map((b) => b.getAttribute('aria-label'))]));
  assert.equal(frames.length, 3);
  for (const [n, labels] of frames) {
    assert.equal(n, 1);
    assert.equal(labels.length, 2);
    assert.match(labels[0], /^Lataa SVG: .+$/);
    assert.match(labels[1], /^Lataa PNG: .+$/);
  }
  // by keyboard: Tab to the first chart's SVG button, Enter; then its PNG button
  for (const kind of ['SVG', 'PNG']) {
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate((k) => document.activeElement.getAttribute('aria-label') === `Lataa ${k}: Palautteet naamoittain`, kind);
    }
    assert.ok(found, 'reached the ' + kind + ' button by Tab');
    await page.keyboard.press('Enter');
  }
  const faces = await page.$$eval('#faces-table tbody td:nth-of-type(1)', (v) => v.map((td) => td.innerText));
  const svg = (await downloaded(dl, 'palautteet-naamoittain.svg')).toString('utf8');
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<style>[^<]*\.chart-label\{font-size:13px/);
  assert.match(svg, /<title>Kaavio: Palautteet naamoittain\./);
  for (const v of faces) assert.ok(svg.includes(`>${v} (`), 'the value ' + v + ' is in the SVG');
  assert.equal((svg.match(/<rect /g) || []).length, 1 + 5, 'a background and five bars');
  const png = await downloaded(dl, 'palautteet-naamoittain.png');
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  const w = png.readUInt32BE(16), h = png.readUInt32BE(20);
  const vb = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  assert.deepEqual([w, h], [2 * Number(vb[1]), 2 * Number(vb[2])], 'the PNG is the SVG at twice its size');
  assert.ok(png.length > 2000, 'the PNG has the drawing in it');
  await axe(page, 'feedback results with download buttons');
  // in Swedish and English too
  await page.click('.langs button[lang=sv]');
  const label = (k) => page.evaluate((kind) => { const b = document.querySelector(`button[data-download=${kind}]`); return b ? b.getAttribute('aria-label') : ''; }, k);
  await until(async () => /^Ladda ner SVG: Responser per ansikte$/.test(await label('svg')), 'Swedish buttons');
  await page.click('.langs button[lang=en]');
  await until(async () => /Repeated taps merged: 7/.test(await text(page, 'main')), 'English page');
  await until(async () => /^Download PNG: Feedback by face$/.test(await label('png')), 'English buttons');
  await axe(page, 'feedback results in English');
  await shots(page, 'feedback-merged-downloads');
  await page.click('.langs button[lang=fi]');
});
