// The item editor's card preview against the real server and the real renderer
// (kiosk-card, the kiosk's own drawing code without a display): a real PNG of the
// right size that is not blank, with ä ö å and a long name; bad input refused naming
// its field; a renderer that hangs is killed at the deadline while the server keeps
// answering; a missing renderer and a full set of render slots answer 503.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { tmpdir, serverDb, addUser, startServer, Client, SOURCE, SHOTS, until } from './harness.mjs';

// The renderer is a child of the server: under ASan it reports leaks of the system's
// font libraries like the kiosk does (tests/lsan.supp).
process.env.LSAN_OPTIONS = `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0`;

const PW = 'correct horse battery';
let dir, db, srv, ed;

const LONG = 'Pörrösen ääniäänestäjät ja Åbolands skärgårdsbåtars kustannusosakeyhtiöiden yhteistyöyhdistys ry';
const CONTENT = { format: 'kiosk-content', version: 1,
  areas: [{ id: 'p-aland', city: 'Porvoo', type: 'district', name: { fi: 'Ålandsbölen', sv: 'Ålandsbölen' } }],
  items: [{ id: 'a-seura', kind: 'association', name: { fi: 'Äänekäs seura', sv: 'Högljudda föreningen' } }] };
const ITEM = { id: 'e-saaristo', kind: 'event', name: { fi: LONG, sv: 'Skärgårdsdag på Åland', en: 'Archipelago day' },
  description: { fi: 'Yhdistys järjestää kävelyn ja saaristoretken koko perheelle. Öisin ei toimintaa.',
    sv: 'Föreningen ordnar en vandring och en skärgårdsutflykt för hela familjen.' },
  start: '2026-12-12T10:00', end: '2026-12-12T14:00', area: 'p-aland', organiser: 'a-seura',
  web: 'https://example.fi/saaristo', phone: '+358 40 123 4567' };

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'ed', 'editor', PW);
  srv = await startServer(db);
  ed = new Client(srv.url);
  assert.equal((await ed.login('ed', PW)).status, 200);
  assert.equal((await ed.req('POST', 'catalog/import?apply=1', CONTENT)).status, 200);
});

after(async () => { await srv.stop(); });

// POSTs a preview and reads the answer as bytes.
async function preview(c, body) {
  const r = await fetch(c.base + '/v1/admin/catalog/preview', { method: 'POST',
    headers: { Cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify(body) });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  if ((r.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(buf.toString('utf8'));
  return { status: r.status, type: r.headers.get('content-type'), buf, json };
}

// A PNG decoded far enough to count its colours: signature, IHDR, the IDAT stream
// inflated and every scanline's filter undone (8-bit RGB or RGBA, no interlace).
function decodePng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let pos = 8, w = 0, h = 0, bpp = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0); h = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth');
      assert.ok(data[9] === 2 || data[9] === 6, 'colour type RGB or RGBA');
      assert.equal(data[12], 0, 'not interlaced');
      bpp = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = w * bpp, px = Buffer.alloc(stride * h);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? px[y * stride + i - bpp] : 0, b = y ? px[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y ? px[(y - 1) * stride + i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + i] = v & 255;
    }
  }
  const counts = new Map();
  for (let i = 0; i < px.length; i += bpp) {
    const k = px.readUIntBE(i, 3);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return { w, h, colours: counts.size, top: Math.max(...counts.values()) / (w * h) };
}

test('the card comes back as a real PNG drawn by the kiosk, portrait and landscape', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const [lang, orientation, w, h] of [['fi', undefined, 1080, 1920], ['sv', 'landscape', 1920, 1080]]) {
    const r = await preview(ed, { item: ITEM, lang, orientation });
    assert.equal(r.status, 200, r.json && r.json.error);
    assert.equal(r.type, 'image/png');
    const png = decodePng(r.buf);
    assert.equal(png.w, w);
    assert.equal(png.h, h);
    // Text is anti-aliased: a drawn card has hundreds of colours; a blank one has one.
    assert.ok(png.colours > 50, `only ${png.colours} colours`);
    assert.ok(png.top < 0.95, `one colour covers ${Math.round(png.top * 100)} %`);
    fs.writeFileSync(path.join(SHOTS, `preview-card-${lang}-${w}x${h}.png`), r.buf);
  }
  // Nothing was saved: the preview is read-only.
  assert.equal((await ed.req('GET', 'catalog/items/e-saaristo')).status, 404);
});

test('bad input is refused naming its field, and nothing is drawn', async () => {
  const cases = [
    [{}, 'item', 'missing'],
    [{ item: 'x' }, 'item', 'wrong_type'],
    [{ item: { ...ITEM, name: { fi: '' } } }, 'name.fi', 'empty'],
    [{ item: { ...ITEM, adress: 'Mannerheimintie 1' } }, 'adress', 'unknown_field'],
    [{ item: ITEM, lang: 'de' }, 'lang', 'unknown_value'],
    [{ item: ITEM, orientation: 'round' }, 'orientation', 'unknown_value'],
    [{ item: { ...ITEM, organiser: 'a-none' } }, 'organiser', 'content_invalid'],
    // Only the renderer's store knows the areas: its refusal names the field too.
    [{ item: { ...ITEM, area: 'p-none' } }, 'area', 'content_invalid'],
  ];
  for (const [body, field, code] of cases) {
    const r = await preview(ed, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.field, field, r.json.error);
    assert.equal(r.json.code, code, r.json.error);
  }
});

// Ended: no such process, or a zombie left to a parent that does not reap (a
// container's first process may not).
function gone(pid) {
  try { return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
}

test('a renderer that hangs is killed at the deadline; the server keeps answering', async () => {
  const hang = path.join(dir, 'hang.sh'), pids = path.join(dir, 'pids');
  fs.writeFileSync(hang, `#!/bin/sh\necho $$ >> ${pids}\nsleep 60 &\necho $! >> ${pids}\nwait\n`, { mode: 0o755 });
  const db2 = serverDb(dir, 'hang.db');
  addUser(db2, 'ed', 'editor', PW);
  const s2 = await startServer(db2, ['--card-renderer', hang, '--card-timeout', '2']);
  try {
    const c = new Client(s2.url);
    assert.equal((await c.login('ed', PW)).status, 200);
    const t0 = Date.now();
    const item = { id: 'v-hall', kind: 'venue', name: { fi: 'Sali' }, price: 'free' };
    const slow = [preview(c, { item }), preview(c, { item }), preview(c, { item })];
    // While two renders hang, the console still answers.
    await new Promise((r) => setTimeout(r, 300));
    const t1 = Date.now();
    assert.equal((await c.req('GET', 'session')).status, 200);
    assert.ok(Date.now() - t1 < 1000, 'the session answered while renders hung');
    const res = await Promise.all(slow);
    const took = Date.now() - t0;
    // Two slots: two renders run into the deadline, the third is turned away at once.
    assert.deepEqual(res.map((r) => r.json.code).sort(), ['busy', 'render_timeout', 'render_timeout']);
    for (const r of res) assert.equal(r.status, 503);
    assert.ok(took < 6000, `answered after ${took} ms`);
    // The renderer and the process it started are gone.
    const listed = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    assert.equal(listed.length, 4);
    // A SIGKILL lands at once but a loaded machine may take a moment to end the process.
    for (const pid of listed) await until(async () => gone(pid), `process ${pid} to end`, 3000);
    assert.equal((await c.req('GET', 'catalog')).status, 200);
  } finally { await s2.stop(); }
});

test('a missing renderer answers 503 naming it', async () => {
  const db3 = serverDb(dir, 'none.db');
  addUser(db3, 'ed', 'editor', PW);
  const s3 = await startServer(db3, ['--card-renderer', path.join(dir, 'no-such-renderer')]);
  try {
    const c = new Client(s3.url);
    assert.equal((await c.login('ed', PW)).status, 200);
    const r = await preview(c, { item: { id: 'v-hall', kind: 'venue', name: { fi: 'Sali' }, price: 'free' } });
    assert.equal(r.status, 503);
    assert.equal(r.json.code, 'renderer_missing');
    assert.match(r.json.error, /no-such-renderer/);
  } finally { await s3.stop(); }
});
