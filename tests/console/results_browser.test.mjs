// The quick feedback results page in Debian's Chromium against the real server:
// axe-core clean in Finnish and English, screenshots at 1366x768 and 1920x1080, every
// chart with its table, the kiosk filter and hiding a comment by keyboard, and a
// coordinator limited to one kiosk seeing only that kiosk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tmpdir, serverDb, addUser, startServer, launchBrowser, axe, shots, text, Client, newPage, until } from './harness.mjs';
import { push, uuid } from './feedback.mjs';

process.env.TZ = 'Europe/Helsinki';
const PW = 'correct horse battery';
let dir, db, srv, browser, page;

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'kaisa', 'coordinator', PW, 'lobby');
  srv = await startServer(db);
  const c = new Client(srv.url);
  assert.equal((await c.login('anna', PW)).status, 200);
  await c.req('POST', 'catalog/import?apply=1', { format: 'kiosk-content', version: 1, items: [
    { id: 'v-hall', kind: 'venue', name: { fi: 'Nuorisotalon sali', sv: 'Ungdomsgårdens sal', en: 'Youth centre hall' }, price: 'free' },
    { id: 'v-room', kind: 'venue', name: { fi: 'Kokoushuone Kaisla', en: 'Meeting room Kaisla' }, price: 'free' }] });
  const tok = {};
  for (const k of ['lobby', 'hall']) tok[k] = (await c.req('POST', 'kiosks', { name: k })).json.token;
  // Five weeks of feedback, busier in the afternoons, some from cards, a few comments.
  const rows = { lobby: [], hall: [] };
  let n = 100;
  const comments = ['Hyvät aukioloajat', 'Kahvi oli loppu', 'Soittakaa minulle 040 123 4567', 'Kiva henkilökunta', 'Liian kylmä sali'];
  for (let day = 0; day < 35; day++) {
    const date = new Date(Date.UTC(2026, 9, 26 + day));
    for (const hour of [6, 9, 11, 12, 13, 14, 15]) {
      if ((day * 7 + hour) % 3 === 0) continue;
      const k = (day + hour) % 4 === 0 ? 'hall' : 'lobby';
      const score = 1 + ((day * 3 + hour * 5) % 5 + (hour > 11 ? 1 : 0)) % 5;
      const p = { type: 'feedback', hour: date.toISOString().slice(0, 11) + String(hour).padStart(2, '0') + 'Z', score,
        context: hour === 13 ? (day % 2 ? 'v-hall' : 'v-room') : 'home' };
      if (day % 6 === 0 && hour === 14) p.comment = comments[(day / 6) % comments.length];
      rows[k].push({ uuid: uuid(n++), kind: 'feedback', payload: p });
    }
  }
  for (const k of ['lobby', 'hall']) await push(srv.url, tok[k], rows[k]);
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function login(name) {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.focus('#login-name');
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav');
}

// Tabs forward until the focused element's text matches; fails after `max` presses.
// With rowRe, the focused element's table row must match too.
async function tabTo(re, max = 80, rowRe = null) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const [t, row] = await page.evaluate(() => [document.activeElement.getAttribute('aria-label') || document.activeElement.innerText || '',
      document.activeElement.closest('tr') ? document.activeElement.closest('tr').innerText : '']);
    if (re.test(t) && (!rowRe || rowRe.test(row))) return;
  }
  throw new Error('never reached ' + re);
}

test('results page: charts with tables, axe-clean in fi and en, screenshots at both sizes', async () => {
  await login('anna');
  await tabTo(/^Pikapalaute$/);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#faces-table');
  const main = await text(page, 'main');
  assert.match(main, /Palautteita yhteensä \d+/);
  for (const id of ['#faces-table', '#heat-table', '#t-weeks', '#t-kiosks', '#t-cards', '#comments-table'])
    assert.ok(await page.$(id), id);
  // Every chart is an image with a label and a table of its numbers beside it.
  const charts = await page.$$eval('svg.chart', (v) => v.map((s) => s.getAttribute('role') + ':' + s.getAttribute('aria-label')));
  assert.equal(charts.length, 3);
  for (const c of charts) assert.match(c, /^img:Kaavio: .*taulukossa\.$/);
  // The heat map's darkest square is the busiest hour of the table.
  const heat = await page.$$eval('#heat-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.innerText))));
  const rects = await page.$$eval('svg.chart rect[data-count]', (v) => v.map((r) => [Number(r.dataset.day), Number(r.dataset.hour), Number(r.dataset.count)]));
  for (const [d, h, c] of rects) assert.equal(heat[d][h], c);
  assert.match(await page.$eval('#t-cards', (c) => c.closest('table').innerText), /Nuorisotalon sali/);
  // The downloads are links with the page's choices; the browser's session fetches them.
  const hrefs = await page.$$eval('.downloads a', (v) => v.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs.map((h) => new URLSearchParams(h.split('?')[1]).get('format')), ['csv', 'xlsx', 'json']);
  const csv = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, (await r.text()).split('\r\n').length]; }, hrefs[0]);
  assert.equal(csv[0], 200);
  assert.equal(csv[1] - 2, Number(/\d+/.exec(main)[0]));
  await axe(page, 'feedback results (fi)');
  await shots(page, 'results-feedback-fi');
  await page.click('.langs button[lang="en"]');
  await page.waitForFunction(() => document.querySelector('main h1').innerText === 'Quick feedback');
  // The language switch reloads the numbers: the card table comes back in English.
  await page.waitForFunction(() => /Youth centre hall/.test(document.querySelector('#t-cards')?.closest('table')?.innerText || ''));
  await axe(page, 'feedback results (en)');
  await shots(page, 'results-feedback-en');
  await page.click('.langs button[lang="fi"]');
  await page.waitForFunction(() => document.querySelector('main h1').innerText === 'Pikapalaute');
});

test('by keyboard: one kiosk chosen, then a comment with personal data hidden', async () => {
  // The language switch that ended the test before reloads the page's numbers.
  await page.waitForSelector('#fb-total');
  const all = await text(page, '#fb-total');
  await page.focus('#r-kiosk');
  // The list: all kiosks, hall, lobby; two steps down is lobby.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.$eval('#r-kiosk', (s) => s.value), 'lobby');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await until(async () => (await text(page, '#fb-total')) !== all, 'the lobby total');
  assert.deepEqual(await page.$eval('#t-kiosks', (c) => [...c.closest('table').querySelectorAll('tbody th')].map((th) => th.innerText)), ['lobby']);
  await tabTo(/Piilota kommentti .*lobby/, 80, /040 123 4567/);
  const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  const row = await page.evaluate(() => document.activeElement.closest('tr').dataset.uuid);
  await page.keyboard.press('Enter');
  await page.waitForSelector('p.notice');
  await until(async () => /Piilotettu \(henkilötietoja\), piilotti anna/.test(await text(page, `tr[data-uuid="${row}"]`)), 'the hidden row');
  assert.match(await text(page, 'p.notice'), /Kommentti piilotettiin/);
  assert.ok(label);
  assert.doesNotMatch(await text(page, '#comments-table'), /040 123 4567/);
  await axe(page, 'feedback results after hiding');
  await shots(page, 'results-feedback-hidden');
});

test('a coordinator limited to one kiosk sees only that kiosk on the page', async () => {
  await page.click('.who button');
  await page.waitForSelector('#login-name');
  await login('kaisa');
  await page.goto(srv.url + '/console/#/feedback');
  await page.waitForSelector('#t-kiosks');
  assert.deepEqual(await page.$eval('#t-kiosks', (c) => [...c.closest('table').querySelectorAll('tbody th')].map((th) => th.innerText)), ['lobby']);
  assert.deepEqual(await page.$$eval('#r-kiosk option', (v) => v.map((o) => o.value)), ['', 'lobby']);
  assert.doesNotMatch(await text(page, '#comments-table'), /\bhall\b/);
  await axe(page, 'feedback results (coordinator)');
});
