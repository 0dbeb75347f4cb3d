// Test harness of the console: the real kiosk-server on a random loopback port with a
// fresh database, accounts made with `kiosk-server admin user-add`, HTTP through
// node's fetch with the cookie handled by hand, and Debian's Chromium through
// puppeteer-core.
//
// Secure cookies on plain http: the server always marks its session cookie Secure.
// Chromium treats http://127.0.0.1 as a secure context and keeps such cookies there,
// so the browser tests run over http on loopback unchanged; the fetch tests send the
// cookie back themselves (a Secure flag binds browsers, not this client).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const here = path.dirname(new URL(import.meta.url).pathname);
export const SOURCE = path.resolve(here, '../..');
export const CONSOLE_DIR = path.join(SOURCE, 'console');
export const SERVER = process.env.KIOSK_SERVER;
export const KIOSKCTL = process.env.KIOSKCTL;
export const SHOTS = process.env.CONSOLE_SHOTS || path.join(os.tmpdir(), 'console-shots');
const require = createRequire(path.join(CONSOLE_DIR, 'package.json'));

export function tmpdir(prefix = 'console-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// The server's database for a test: a file in dir, or with KC_TEST_PG set (the PG
// variants of these tests, tests/lib/pg.sh) a fresh database of its own on that
// cluster, made with psql.
export const PG = process.env.KC_TEST_PG || '';
let pgSeq = 0;
export function serverDb(dir, name = 'server.db') {
  if (!PG) return path.join(dir, name);
  const m = /^(.*)\/postgres(\?.*)$/.exec(PG);
  assert.ok(m, 'KC_TEST_PG must name the database postgres with parameters: ' + PG);
  const db = `c${process.pid}_${pgSeq++}`;
  for (const q of [`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, `CREATE DATABASE ${db}`]) {
    const r = spawnSync('psql', [PG, '-qX', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  return `${m[1]}/${db}${m[2]}`;
}

// Runs one SQL statement on a test's server database (sqlite3 or psql).
export function sql(db, stmt) {
  const r = PG ? spawnSync('psql', [db, '-qX', '-v', 'ON_ERROR_STOP=1', '-c', stmt], { encoding: 'utf8' })
    : spawnSync('sqlite3', [db, stmt], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

export function addUser(db, name, role, password, kiosks) {
  const args = ['--db', db, 'admin', 'user-add', name, '--role', role];
  if (kiosks) args.push('--kiosks', kiosks);
  const r = spawnSync(SERVER, args, { input: password + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

export function admin(db, ...args) {
  const r = spawnSync(SERVER, ['--db', db, 'admin', ...args], { encoding: 'utf8' });
  return r;
}

export async function startServer(db, extra = []) {
  const dir = db.includes('://') ? tmpdir('port-') : path.dirname(db);
  const portFile = path.join(dir, 'port-' + Math.random().toString(36).slice(2));
  const child = spawn(SERVER, ['--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(portFile)) break;
    if (child.exitCode !== null) throw new Error('kiosk-server exited: ' + child.exitCode);
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  // With --console-listen the console's port follows on stdout.
  for (let i = 0; i < 100 && extra.includes('--console-listen') && !/console on port/.test(out); i++)
    await new Promise((r) => setTimeout(r, 20));
  const m = /console on port (\d+)/.exec(out);
  const srv = {
    child, port, url: `http://127.0.0.1:${port}`,
    consoleUrl: m ? `http://127.0.0.1:${m[1]}` : `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
  return srv;
}

// A console client: the session cookie and CSRF token of one account.
export class Client {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; }

  async req(method, p, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (method !== 'GET') {
      if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
      if (this.csrf && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    }
    for (const k of Object.keys(h)) if (h[k] === null) delete h[k];
    const r = await fetch(this.base + '/v1/admin/' + p, {
      method, headers: h, redirect: 'manual',
      body: method === 'GET' ? undefined : (typeof body === 'string' ? body : JSON.stringify(body || {})),
    });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: r.status, json, headers: r.headers, text };
  }

  async login(name, password) {
    const r = await this.req('POST', 'login', { name, password });
    if (r.status === 200) {
      const sc = r.headers.get('set-cookie');
      this.cookie = sc.split(';')[0];
      this.csrf = r.json.csrf;
    }
    return r;
  }
}

// --- the browser -------------------------------------------------------------------

export async function launchBrowser() {
  const puppeteer = require('puppeteer-core');
  const userDataDir = tmpdir('chromium-');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  const close = browser.close.bind(browser);
  browser.close = async () => { await close(); fs.rmSync(userDataDir, { recursive: true, force: true }); };
  return browser;
}

// Runs axe-core in the page; fails listing every violation.
// A page at 1366x768 whose script errors fail the test and whose confirm() dialogs are
// answered yes.
export async function newPage(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  page.on('pageerror', (e) => { throw e; });
  page.on('dialog', (d) => d.accept());
  return page;
}

// Waits until fn() is true, polling every 50 ms; fails naming what after ms.
export async function until(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function axe(page, what) {
  const src = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(src);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(res, [], `axe-core on ${what}:\n${res.join('\n')}`);
}

// Screenshots of the page at both sizes the issue names, under SHOTS.
export async function shots(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [[1366, 768], [1920, 1080]]) {
    await page.setViewport({ width: w, height: h });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${w}x${h}.png`), fullPage: true });
  }
  await page.setViewport({ width: 1366, height: 768 });
}

export async function text(page, sel) {
  return page.$eval(sel, (e) => e.innerText);
}

// --- open-data sources ----------------------------------------------------------------

// The source tests' loopback open-data server (tests/sources/srcserve.c) serving
// tests/data/sources; stop() closes its standard input.
export async function startSrcServe() {
  const child = spawn(process.env.SRCSERVE, [path.join(SOURCE, 'tests/data/sources')],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  for (let i = 0; i < 250 && !/port \d+/.test(out); i++) {
    if (child.exitCode !== null) throw new Error('srcserve exited: ' + child.exitCode);
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = Number(/port (\d+)/.exec(out)[1]);
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await done;
    },
  };
}

// A sources file for kiosk-server --sources: Linked Events and Varaamo from the
// fixtures, the service map on the path that never answers (a run that stays
// running for `hang` seconds, then fails on its timeout).
export function writeSources(dir, base, hang = 2) {
  const file = path.join(dir, 'sources.json');
  fs.writeFileSync(file, JSON.stringify({
    linkedevents: { url: base + '/linkedevents/v1/event/', days: 90, timeout: 10 },
    varaamo: { url: base + '/respa/v1/resource/', timeout: 10 },
    servicemap: { url: base + '/hang', timeout: hang, retries: 0 },
  }));
  return file;
}
