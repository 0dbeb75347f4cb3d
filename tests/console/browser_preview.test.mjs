// The item editor's card preview and deleting areas, in Debian's Chromium against the
// real server and the real renderer: by keyboard, axe-clean, photographed at 1366x768
// and 1920x1080.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tmpdir, serverDb, addUser, startServer, launchBrowser, axe, shots, text, Client, SOURCE, newPage, until } from './harness.mjs';

// The renderer runs under the server; under ASan it needs the kiosk's suppressions.
process.env.LSAN_OPTIONS = `suppressions=${SOURCE}/tests/lsan.supp:print_suppressions=0`;

const PW = 'correct horse battery';
let dir, db, srv, browser, page, c;

const CONTENT = { format: 'kiosk-content', version: 1,
  areas: [
    { id: 'porvoo-aland', city: 'Porvoo', type: 'district', name: { fi: 'Ålandsbölen', sv: 'Ålandsbölen' } },
    { id: 'porvoo-kullo', city: 'Porvoo', type: 'village', name: { fi: 'Kulloo', sv: 'Kullo' } }],
  items: [{ id: 'a-saaristo', kind: 'association', area: 'porvoo-aland',
    name: { fi: 'Pörrösen ääniäänestäjät ja Åbolands skärgårdsbåtars yhteistyöyhdistys ry', sv: 'Skärgårdsföreningen på Åland' },
    description: { fi: 'Yhdistys järjestää kävelyitä ja saaristoretkiä koko perheelle. Öisin ei toimintaa.',
      sv: 'Föreningen ordnar vandringar och skärgårdsutflykter för hela familjen.' },
    phone: '+358 40 123 4567', web: 'https://example.fi/saaristo' }] };

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'eero', 'editor', PW);
  srv = await startServer(db);
  c = new Client(srv.url);
  assert.equal((await c.login('eero', PW)).status, 200);
  assert.equal((await c.req('POST', 'catalog/import?apply=1', CONTENT)).status, 200);
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', 'eero');
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-kiosk], nav');
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// Tabs forward until the element matching sel has the focus.
async function tabTo(sel, max = 200) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached ' + sel);
}

test('item editor: Preview by keyboard shows the card the kiosk draws, in the chosen language', async () => {
  await page.goto(srv.url + '/console/#/catalog/edit/a-saaristo');
  await page.waitForSelector('#pv-run');
  await page.focus('#f-id');
  await tabTo('#pv-run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('img.card-preview-img', { timeout: 30000 });
  const img = await page.$eval('img.card-preview-img', (e) => ({ w: e.naturalWidth, h: e.naturalHeight, alt: e.alt, src: e.src.slice(0, 22) }));
  assert.deepEqual([img.w, img.h, img.src], [1080, 1920, 'data:image/png;base64,']);
  assert.match(img.alt, /Pörrösen ääniäänestäjät ja Åbolands/);
  assert.match(img.alt, /suomi/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pv-run', 'the focus stays on the button');
  assert.match(await text(page, '.card-preview [role=status]'), /valmis/);
  await axe(page, 'editor with the card preview');
  await shots(page, 'catalog-preview');
  // Swedish, landscape: the form's own values, edited but not saved.
  await page.select('#pv-lang', 'sv');
  await page.select('#pv-orientation', 'landscape');
  await page.focus('#f-name-sv');
  await page.keyboard.press('End');
  await page.keyboard.type(' rf');
  await tabTo('#pv-run');
  await page.keyboard.press('Enter');
  await until(async () => (await page.$eval('img.card-preview-img', (e) => e.naturalWidth)) === 1920, 'the landscape card', 30000);
  assert.match(await page.$eval('img.card-preview-img', (e) => e.alt), /Skärgårdsföreningen på Åland rf.*svenska/);
  await axe(page, 'editor with a Swedish landscape preview');
  await shots(page, 'catalog-preview-sv');
  assert.equal((await c.req('GET', 'catalog/items/a-saaristo')).json.item.name.sv, 'Skärgårdsföreningen på Åland', 'nothing saved');
  // A bad field is refused next to it, as when saving.
  await page.focus('#f-web');
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.type('not a web address');
  await tabTo('#pv-run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-summary');
  assert.ok(await page.$('#f-web[aria-invalid=true]'), 'the web field is marked');
  await axe(page, 'editor with a preview refused');
});

test('areas: deleting by keyboard after the confirmation; an area with items is refused with their number', async () => {
  await page.goto(srv.url + '/console/#/areas');
  await page.waitForSelector('[data-area=porvoo-aland]');
  // The area with an item: confirmed (newPage answers yes), then refused in Finnish.
  await page.focus('[data-area=porvoo-aland] td:last-child button');
  await tabTo('[data-area=porvoo-aland] button.danger');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /Aluetta Ålandsbölen ei voi poistaa, koska siihen kuuluu vielä kohteita: 1/);
  assert.ok(await page.$('[data-area=porvoo-aland]'));
  await axe(page, 'areas with a refused deletion');
  await shots(page, 'areas-delete-refused');
  // The unused one goes, and kiosks drop it on their next sync.
  await page.focus('[data-area=porvoo-kullo] td:last-child button');
  await tabTo('[data-area=porvoo-kullo] button.danger');
  await page.keyboard.press('Enter');
  await until(async () => !(await page.$('[data-area=porvoo-kullo]')), 'the row to go');
  assert.match(await text(page, '.notice'), /Alue Kulloo poistettu/);
  const areas = (await c.req('GET', 'areas')).json.areas.map((a) => a.id);
  assert.deepEqual(areas, ['porvoo-aland']);
  await axe(page, 'areas after a deletion');
  await shots(page, 'areas-deleted');
});
