// Exports are bounded in all (docs/deploy.md, "Limits"): each open export holds a
// database connection and its read snapshot until its download ends, so at most
// --exports are open at once; past it the answer is 503 "exports_busy" with
// Retry-After, for every format, and the place is free again as soon as a download
// ends, also one its client abandoned.  Here the downloads are held open by clients
// that read the headers and then nothing: the export (a few MB of JSON) is far larger
// than what the sockets buffer, so the server cannot finish it behind their back.
// In the console (real Chromium) a refused download says so on the page, in its
// language, and the same click saves the file once there is room.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tmpdir, addUser, startServer, Client, launchBrowser, newPage, axe, shots, text, until } from './harness.mjs';
import { push, uuid } from './feedback.mjs';

const PW = 'correct horse battery';
const ROWS = 30000;
const EXPORTS = 2;
let srv, admin, browser;

before(async () => {
  const dir = tmpdir('exports-');
  const db = path.join(dir, 'server.db');
  addUser(db, 'admin', 'administrator', PW);
  srv = await startServer(db, ['--exports', String(EXPORTS), '--threads', '2']);
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin', PW)).status, 200);
  const token = (await admin.req('POST', 'kiosks', { name: 'lobby' })).json.token;
  for (let b = 0; b < ROWS; b += 1000) {
    const rows = [];
    for (let i = b; i < b + 1000; i++)
      rows.push({ uuid: uuid(i), kind: 'feedback', payload: { type: 'feedback', score: 1 + (i % 5),
        hour: `2026-0${1 + (i % 9)}-1${i % 10}T1${i % 8}Z`, context: 'home',
        comment: `Palaute ${i}: jonot olivat pitkät, mutta henkilökunta oli ystävällistä` } });
    await push(srv.url, token, rows);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// A download whose client takes the headers and then reads no more.
function held(format) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let head = '';
    s.on('error', reject);
    s.on('data', (d) => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.pause();
      s.removeAllListeners('data');
      resolve({ status: Number(head.split(' ')[1]), head: head.slice(0, end), close: () => s.destroy() });
    });
    s.write(`GET /v1/admin/results/feedback/export?format=${format} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Cookie: ${admin.cookie}\r\n\r\n`);
  });
}

async function take(format) {
  const r = await fetch(`${srv.url}/v1/admin/results/feedback/export?format=${format}`, { headers: { Cookie: admin.cookie } });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, retry: r.headers.get('retry-after'), body };
}

test('past --exports open downloads every format gets 503 exports_busy; an abandoned download frees its place', async () => {
  const open = [];
  for (let i = 0; i < EXPORTS; i++) {
    open.push(await held('json'));
    assert.equal(open[i].status, 200, open[i].head);
  }
  for (const format of ['csv', 'json', 'xlsx']) {
    const r = await take(format);
    assert.equal(r.status, 503, `${format} past the cap`);
    assert.equal(JSON.parse(r.body).code, 'exports_busy');
    assert.ok(Number(r.retry) > 0, 'Retry-After');
  }
  // Other requests go on meanwhile.
  assert.equal((await admin.req('GET', 'results/feedback')).status, 200);
  open.pop().close();
  // The server notices the closed connection when it next writes to it.
  let r;
  for (let i = 0; i < 50; i++) {
    r = await take('csv');
    if (r.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(r.status, 200, 'a place again after a download was abandoned');
  assert.equal(r.body.toString('utf8').split('\r\n').length - 2, ROWS, 'the whole export');
  // A finished download gave its place back too: one held, one more fits, then none.
  // (A workbook holds its place while it is written, not while it is sent.)
  const again = await held('json');
  assert.equal(again.status, 200, again.head);
  assert.equal((await take('csv')).status, 503);
  again.close();
  open.pop().close();
});

test('console: a refused download says why on the page; the same link then saves the file', async () => {
  browser = await launchBrowser();
  const page = await newPage(browser);
  const dl = tmpdir('downloads-');
  const cdp = await page.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dl });
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', 'admin');
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav');
  await page.goto(srv.url + '/console/#/feedback');
  await page.waitForSelector('.downloads a[data-format=csv]');

  const open = [await held('json'), await held('json')];
  for (const o of open) assert.equal(o.status, 200, o.head);
  // by keyboard: focus the CSV link, Enter
  const done = () => page.$eval('.downloads-box', (e) => Number(e.dataset.done));
  // A click, then its answer.
  async function take(sel, click) {
    const n = await done();
    await click(sel);
    await until(async () => (await done()) > n, 'the answer to ' + sel, 30000);
  }
  // by keyboard: focus the CSV link, Enter
  await take('.downloads a[data-format=csv]', async (sel) => { await page.focus(sel); await page.keyboard.press('Enter'); });
  assert.match(await text(page, '.download-error'), /^Palvelin muodostaa juuri muita tiedostoja\. Yritä hetken päästä uudelleen\.$/);
  assert.equal(await text(page, '.download-status'), '');
  assert.equal(fs.readdirSync(dl).length, 0, 'nothing saved');
  await axe(page, 'feedback results, a download refused');
  await shots(page, 'feedback-download-busy');
  // (a language switch draws the page anew)
  await page.click('.langs button[lang=sv]');
  await until(async () => /^Ladda ner/.test(await text(page, '.downloads').catch(() => '')), 'the Swedish page');
  await take('.downloads a[data-format=xlsx]', (sel) => page.click(sel));
  assert.match(await text(page, '.download-error'), /^Servern skapar andra filer just nu\. Försök igen om en stund\.$/);
  await page.click('.langs button[lang=fi]');
  await until(async () => /^Lataa/.test(await text(page, '.downloads').catch(() => '')), 'the Finnish page');

  for (const o of open) o.close();
  // The server notices the closed connections when it next writes to them.
  let saved = '';
  for (let i = 0; i < 50 && !saved; i++) {
    await take('.downloads a[data-format=csv]', (sel) => page.click(sel));
    if (/valmis/.test(await text(page, '.download-status'))) saved = 'pikapalaute.csv';
    else await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(saved, 'pikapalaute.csv', 'saved once there was room');
  assert.equal(await text(page, '.download-error'), '');
  assert.match(await text(page, '.download-status'), /^Tiedosto on valmis ja tallennettu selaimen latauksiin: CSV\.$/);
  const f = path.join(dl, saved);
  await until(async () => fs.existsSync(f) && fs.statSync(f).size > 0, 'the saved file', 10000);
  const csv = fs.readFileSync(f, 'utf8');
  assert.equal(csv.split('\r\n').length - 2, ROWS, 'the whole export');
  assert.ok(csv.startsWith('\ufeff'), 'as the server sent it (BOM)');
  await axe(page, 'feedback results, a download saved');
  await shots(page, 'feedback-download-saved');
  // A session that has ended goes back to the login, as the pages' own calls do.
  await page.deleteCookie(...(await page.cookies()));
  await page.click('.downloads a[data-format=json]');
  await page.waitForSelector('#login-name', { timeout: 10000 });
});
