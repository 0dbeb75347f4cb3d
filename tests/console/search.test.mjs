// The console's catalog search against the real server: folded as the kiosk folds
// (case, accents: "ÅLAND", "aland" and "Åland" are one search), by index, and kept in
// step with imports, edits and deletions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tmpdir, serverDb, PG, addUser, startServer, Client } from './harness.mjs';

const PW = 'correct horse battery';
let dir, db, srv, c;

const LONG = 'Pohjois-Pohjanmaan ' + 'Kylätoimintayhdistysten '.repeat(3) + 'Yhteistyöverkosto';
const CONTENT = { format: 'kiosk-content', version: 1, items: [
  { id: 's-aland', kind: 'association', name: { fi: 'Ahvenanmaan kulttuuriyhdistys', sv: 'Ålands kulturförening', en: 'Åland Culture Society' } },
  { id: 's-elakelaiset', kind: 'association', name: { fi: 'Äänekosken Eläkeläiset ry', sv: 'Äänekoski pensionärer' } },
  { id: 's-cafe', kind: 'venue', name: { fi: 'Café Öresund' }, price: 'free' },
  { id: 's-long', kind: 'association', name: { fi: LONG } },
  { id: 's-sali', kind: 'venue', name: { fi: 'Sali' }, price: 'free' },
  ...Array.from({ length: 7 }, (_, i) => ({ id: `s-kerho-${i}`, kind: 'association', name: { fi: `Kylän kerho ${i}` } })),
] };

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'ed', 'editor', PW);
  srv = await startServer(db);
  c = new Client(srv.url);
  assert.equal((await c.login('ed', PW)).status, 200);
  assert.equal((await c.req('POST', 'catalog/import?apply=1', CONTENT)).status, 200);
});

after(async () => { await srv.stop(); });

async function ids(q, extra = '') {
  const r = await c.req('GET', `catalog?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, `${q}: ${r.text}`);
  return r.json.items.map((i) => i.id).sort();
}

test('search folds case and accents in every language, as the kiosk does', async () => {
  for (const q of ['Åland', 'ÅLAND', 'åland', 'aland', 'ALANDS KULTUR', 'kulturförening', 'KULTURFORENING'])
    assert.deepEqual(await ids(q), ['s-aland'], q);
  for (const q of ['eläkeläiset', 'ELÄKELÄISET', 'elakelaiset', 'ÄÄNEKOSKI', 'pensionärer', 'PENSIONÄRER'])
    assert.deepEqual(await ids(q), ['s-elakelaiset'], q);
  for (const q of ['Café', 'cafe', 'CAFÉ', 'öresund', 'ÖRESUND', 'oresund'])
    assert.deepEqual(await ids(q), ['s-cafe'], q);
  // Under three characters: still folded ("ää" is "aa": Ahvenanmaan, Äänekosken,
  // Pohjanmaan; "ör" is "or": kulturförening, Öresund).
  assert.deepEqual(await ids('ÄÄ'), ['s-aland', 's-elakelaiset', 's-long']);
  assert.deepEqual(await ids('ÖR'), ['s-aland', 's-cafe']);
  // The id matches too; a long name anywhere in it.
  assert.deepEqual(await ids('S-SALI'), ['s-sali']);
  assert.deepEqual(await ids('kylatoimintayhdistysten yhteistyo'), ['s-long']);
  assert.deepEqual(await ids('zzzyyx'), []);
  // FTS syntax in a search is text, not an operator.
  assert.deepEqual(await ids('"kerho" OR sali'), []);
  assert.deepEqual(await ids('kerho*'), []);
  // With a filter and paged in id order.
  assert.deepEqual(await ids('ÄÄ', '&kind=venue'), []);
  let r = await c.req('GET', 'catalog?q=KERHO&limit=3');
  const seen = r.json.items.map((i) => i.id);
  while (r.json.next) {
    r = await c.req('GET', `catalog?q=KERHO&limit=3&after=${r.json.next}`);
    seen.push(...r.json.items.map((i) => i.id));
  }
  assert.deepEqual(seen, Array.from({ length: 7 }, (_, i) => `s-kerho-${i}`));
});

test('a search with many matches pages in id order too', async () => {
  // Over a thousand matches take the other route to a page (srvdb_sqlite_find.c).
  const many = { format: 'kiosk-content', version: 1, items: Array.from({ length: 1200 }, (_, i) => ({
    id: `t-${String(i).padStart(4, '0')}`, kind: i % 2 ? 'venue' : 'association',
    name: { fi: `Nuorisoseura Äijälä ${i}` }, ...(i % 2 ? { price: 'free' } : {}) })) };
  assert.equal((await c.req('POST', 'catalog/import?apply=1', many)).status, 200);
  const want = many.items.map((i) => i.id);
  const seen = [];
  let after = '';
  for (;;) {
    const r = await c.req('GET', `catalog?q=${encodeURIComponent('AIJALA')}&limit=500${after}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i) => i.id));
    if (!r.json.next) break;
    after = '&after=' + r.json.next;
  }
  assert.deepEqual(seen, want);
  const venues = await c.req('GET', `catalog?q=${encodeURIComponent('nuorisoseura äijälä')}&kind=venue&limit=5`);
  assert.deepEqual(venues.json.items.map((i) => i.id), ['t-0001', 't-0003', 't-0005', 't-0007', 't-0009']);
  // Two letters (no trigram): the next items checked one by one when they fill the page.
  let r = await c.req('GET', `catalog?q=${encodeURIComponent('ÄI')}&limit=5&after=t-0099`);
  assert.deepEqual(r.json.items.map((i) => i.id), ['t-0100', 't-0101', 't-0102', 't-0103', 't-0104']);
  assert.equal(r.json.next, 't-0104');
  r = await c.req('GET', `catalog?q=${encodeURIComponent('äi')}&limit=3&after=t-0099&kind=venue`);
  assert.deepEqual(r.json.items.map((i) => i.id), ['t-0101', 't-0103', 't-0105']);
  r = await c.req('GET', `catalog?q=${encodeURIComponent('ÄI')}&limit=500&after=t-1000`);
  assert.equal(r.json.items.length, 199);
  assert.ok(!r.json.next);
  const del = { format: 'kiosk-content', version: 1, deleted: want };
  assert.equal((await c.req('POST', 'catalog/import?apply=1', del)).status, 200);
  assert.deepEqual(await ids('aijala'), []);
});

test('search follows edits and deletions at once', async () => {
  let r = await c.req('POST', 'catalog/items/s-cafe', { item: { id: 's-cafe', kind: 'venue', name: { fi: 'Kahvila Kööpenhamina' }, price: 'free' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await ids('oresund'), []);
  assert.deepEqual(await ids('KOOPENHAMINA'), ['s-cafe']);
  r = await c.req('POST', 'catalog/items/s-sali/delete', {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await ids('sali'), []);
  // Imported again: found again.
  assert.equal((await c.req('POST', 'catalog/import?apply=1', CONTENT)).status, 200);
  assert.deepEqual(await ids('sali'), ['s-sali']);
  assert.deepEqual(await ids('oresund'), ['s-cafe']);
});

test('a database from before the search table gets it filled on start', { skip: PG && 'an upgrade of an SQLite file' }, async () => {
  await srv.stop();
  // Back to the console tables' first version: no search or count table, no triggers.
  const py = `
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
# After every change above the index still agrees with the folded text.
d.execute("INSERT INTO item_find(item_find, rank) VALUES('integrity-check', 1)")
n = d.execute('SELECT count(*) FROM item_fold').fetchone()[0]
live = d.execute('SELECT count(*) FROM item WHERE deleted = 0').fetchone()[0]
assert n == live, (n, live)
for t in ('item_find_ins', 'item_find_upd', 'item_find_del'):
    d.execute('DROP TRIGGER ' + t)
d.execute('DROP TABLE item_find')
d.execute('DROP TABLE item_count')
d.execute('DROP TABLE item_fold')
d.execute("UPDATE meta SET value = 1 WHERE key = 'schema.console'")
d.commit()
`;
  const p = spawnSync('python3', ['-c', py, db], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  srv = await startServer(db);
  c = new Client(srv.url);
  assert.equal((await c.login('ed', PW)).status, 200);
  assert.deepEqual(await ids('ÅLAND'), ['s-aland']);
  assert.deepEqual(await ids('kerho'), Array.from({ length: 7 }, (_, i) => `s-kerho-${i}`));
  const r = await c.req('GET', 'catalog?kind=venue');
  assert.equal(r.json.total, 2);
});

test('the first page counts what is live, per kind and area, through every change', async () => {
  const total = async (q = '') => (await c.req('GET', 'catalog' + q)).json.total;
  const all = await total(), venues = await total('?kind=venue');
  let r = await c.req('POST', 'catalog/items/s-sali/delete', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(await total(), all - 1);
  assert.equal(await total('?kind=venue'), venues - 1);
  // Another kind: one fewer venue, one more association.
  const assocs = await total('?kind=association');
  r = await c.req('POST', 'catalog/items/s-cafe', { item: { id: 's-cafe', kind: 'association', name: { fi: 'Kahvilaseura' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(await total('?kind=venue'), venues - 2);
  assert.equal(await total('?kind=association'), assocs + 1);
  assert.equal(await total(), all - 1);
  r = await c.req('POST', 'catalog/items/s-new', { item: { id: 's-new', kind: 'venue', name: { fi: 'Uusi sali' }, price: 'free' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(await total(), all);
  assert.equal(await total('?kind=venue'), venues - 1);
  assert.deepEqual(await ids('uusi'), ['s-new']);
});
