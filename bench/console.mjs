// `make bench`, console part: the admin API's list pages against a real kiosk-server
// holding a 100 000-item catalog and 200 kiosks, and the first page of the console in
// headless Chromium (from navigation until the kiosk table is on screen and the page
// answers input).  Usage: node bench/console.mjs KIOSK-SERVER CATALOG.json OUTDIR
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const [server, catalog, out] = process.argv.slice(2);
process.env.KIOSK_SERVER = server;
const { addUser, startServer, Client, launchBrowser } = await import('../tests/console/harness.mjs');

const PW = 'bench password 1';
const db = path.join(out, 'console-bench.db');
for (const f of [db, db + '-wal', db + '-shm']) fs.rmSync(f, { force: true });
let r = spawnSync(server, ['--db', db, 'admin', 'import', catalog], { encoding: 'utf8' });
if (r.status !== 0) throw new Error(r.stderr);
// 200 kiosks, added as an administrator does.
addUser(db, 'bench', 'administrator', PW);
const srv = await startServer(db);
try {
  const c = new Client(srv.url);
  await c.login('bench', PW);
  for (let i = 0; i < 200; i++) {
    const k = await c.req('POST', 'kiosks', { name: `kiosk-${String(i).padStart(3, '0')}` });
    if (k.status !== 201) throw new Error('kiosk add: ' + k.text);
  }
  const mid = (await c.req('GET', 'catalog?limit=500&after=g')).json.items[0].id;
  const pages = [
    ['kiosks (200)', 'kiosks'],
    ['catalog first page', 'catalog'],
    ['catalog page in the middle', `catalog?after=${mid}`],
    ['catalog filtered by kind', 'catalog?kind=venue'],
    ['catalog search, common word', 'catalog?q=kerho'],
    ['catalog search, accents and case folded', `catalog?q=${encodeURIComponent('KYLÄ')}`],
    ['catalog search, two letters', 'catalog?q=ke'],
    ['catalog search, no match', 'catalog?q=zzzyyx'],
    ['audit log', 'audit'],
  ];
  console.log(`console API, ${(await c.req('GET', 'catalog')).json.total} items, 200 kiosks, 200 requests each:`);
  for (const [name, p] of pages) {
    const times = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      const res = await c.req('GET', p);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status !== 200) throw new Error(p + ': ' + res.status);
    }
    times.sort((a, b) => a - b);
    const q = (f) => times[Math.min(times.length - 1, Math.floor(f * times.length))].toFixed(1);
    console.log(`  ${name.padEnd(38)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${q(1)} ms`);
  }

  // First page: a logged-in administrator opens the console; measured from navigation
  // start to the kiosk table rendered, then one input answered.
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 768 });
    await page.setCookie({ name: 'kc_console', value: c.cookie.split('=')[1], url: srv.url });
    const runs = [];
    for (let i = 0; i < 5; i++) {
      await page.goto('about:blank');
      const t0 = Date.now();
      await page.goto(srv.url + '/console/#/kiosks', { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[data-kiosk]');
      await page.click('.langs button[lang=en]');
      await page.waitForFunction(() => document.querySelector('h1').textContent === 'Kiosks');
      runs.push(Date.now() - t0);
    }
    runs.sort((a, b) => a - b);
    console.log(`console first page interactive (kiosks, 200 rows, headless Chromium): median ${runs[2]} ms, worst ${runs[4]} ms of 5`);
  } finally {
    await browser.close();
  }
} finally {
  await srv.stop();
}
