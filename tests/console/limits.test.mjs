// Console requests within the server's own limits, on the sync address and on a
// console address of their own: request bodies are held within the one body budget
// (a flood of uploads is answered 503 once it is full, and the kiosks' sync is still
// served meanwhile), and a console connection that trickles its headers is cut at the
// same headers deadline as a kiosk's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { tmpdir, serverDb, addUser, admin, startServer, Client } from './harness.mjs';

const PW = 'correct horse battery';
let dir, db, token;

before(() => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'ed', 'editor', PW);
  const r = admin(db, 'device-add', 'k1');
  assert.equal(r.status, 0, r.stderr);
  token = r.stdout.trim();
});

// Sends only the headers of a 1 MiB upload and keeps the connection open; resolves
// with the status line's code when the server answers before the body, else 0.
function holdUpload(base, c) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname, () => {
      sock.write(`POST /v1/admin/catalog/import?apply=0 HTTP/1.1\r\nHost: ${u.host}\r\n` +
        `Cookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${1024 * 1024}\r\n\r\n`);
    });
    let got = '';
    const t = setTimeout(() => resolve({ status: 0, sock }), 1500);
    sock.on('data', (d) => {
      got += d;
      if (/\r\n/.test(got)) { clearTimeout(t); resolve({ status: Number(got.split(' ')[1]), sock }); }
    });
    sock.on('error', () => { clearTimeout(t); resolve({ status: -1, sock }); });
  });
}

async function kioskSync(port) {
  const t0 = Date.now();
  const r = await fetch(`http://127.0.0.1:${port}/v1/catalog?since=0`, { headers: { Authorization: 'Bearer ' + token } });
  await r.text();
  return { status: r.status, ms: Date.now() - t0 };
}

for (const own of [false, true]) {
  test(`a flood of console uploads fills the shared body budget, and kiosks still sync (${own ? 'console address' : 'sync address'})`, async () => {
    const extra = ['--body-budget', '10', '--per-address', '100'];
    if (own) extra.push('--console-listen', '127.0.0.1:0');
    const srv = await startServer(db, extra);
    try {
      const c = new Client(srv.consoleUrl);
      assert.equal((await c.login('ed', PW)).status, 200);
      const held = await Promise.all(Array.from({ length: 24 }, () => holdUpload(srv.consoleUrl, c)));
      const busy = held.filter((h) => h.status === 503).length;
      const waiting = held.filter((h) => h.status === 0).length;
      // 10 MiB holds nine bodies of 1 MiB (and a byte): the rest are refused at once.
      assert.ok(waiting >= 5 && waiting <= 9, `waiting for their bodies: ${waiting}`);
      assert.equal(busy, 24 - waiting, held.map((h) => h.status).join(','));
      // The kiosks' side is served meanwhile.
      const k = await kioskSync(srv.port);
      assert.equal(k.status, 200);
      assert.ok(k.ms < 5000, `kiosk sync took ${k.ms} ms`);
      // The budget comes back when those connections go.
      for (const h of held) h.sock.destroy();
      let r;
      for (let i = 0; i < 50; i++) {
        r = await c.req('POST', 'catalog/import?apply=0', { format: 'kiosk-content', version: 1, items: [] });
        if (r.status !== 503) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(r.status, 200, r.text);
    } finally {
      await srv.stop();
    }
  });
}

test('a console connection trickling its headers is cut at the headers deadline', async () => {
  const srv = await startServer(db, ['--header-timeout', '2', '--console-listen', '127.0.0.1:0']);
  try {
    const u = new URL(srv.consoleUrl);
    const line = `GET /v1/admin/session HTTP/1.1\r\nHost: ${u.host}\r\nX-Slow: ${'a'.repeat(400)}`;
    const t0 = Date.now();
    const closedAfter = await new Promise((resolve) => {
      const sock = net.connect(Number(u.port), u.hostname);
      let i = 0;
      const tick = setInterval(() => { if (i < line.length) sock.write(line[i++]); }, 100);
      sock.on('close', () => { clearInterval(tick); resolve(Date.now() - t0); });
      sock.on('error', () => {});
      setTimeout(() => { clearInterval(tick); sock.destroy(); }, 15000);
    });
    assert.ok(closedAfter < 6000, `still open after ${closedAfter} ms`);
  } finally {
    await srv.stop();
  }
});
