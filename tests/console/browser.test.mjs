// The console in Debian's Chromium against the real server: every page checked by
// axe-core and photographed at 1366x768 and 1920x1080; the flows of the issue end to
// end, by keyboard where a person would type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { tmpdir, serverDb, addUser, startServer, launchBrowser, axe, shots, text, KIOSKCTL, SOURCE, Client, startSrcServe, writeSources, newPage, until } from './harness.mjs';

const PW = 'correct horse battery';
let dir, db, srv, browser, page, data;

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'ville', 'viewer', PW);
  addUser(db, 'eero', 'editor', PW);
  data = await startSrcServe();
  srv = await startServer(db, ['--sources', writeSources(dir, data.base, 3)]);
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (data) await data.stop();
});

const mainText = () => text(page, 'main');

async function loginByKeyboard(name, password) {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.focus('#login-name');
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

async function logout() {
  await page.click('.who button');
  await page.waitForSelector('#login-name');
}

test('login page: axe-clean in every language, wrong password named next to the field', async () => {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  for (const [lang, word] of [['sv', 'Logga in'], ['en', 'Log in'], ['fi', 'Kirjaudu sisään']]) {
    await page.click(`.langs button[lang=${lang}]`);
    assert.equal(await text(page, 'h1'), word);
    assert.equal(await page.$eval('html', (e) => e.lang), lang);
    await axe(page, 'login ' + lang);
  }
  await shots(page, 'login');
  await page.type('#login-name', 'anna');
  await page.type('#login-password', 'wrong password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /Väärä nimi tai salasana/);
  assert.match(await text(page, '#login-password-error'), /Väärä nimi tai salasana/);
  assert.equal(await page.$eval('#login-password', (e) => e.getAttribute('aria-invalid')), 'true');
  await axe(page, 'login with error');
  await shots(page, 'login-error');
});

test('log in by keyboard, add a kiosk, sync a real kioskctl with its token: it turns green', async () => {
  await loginByKeyboard('anna', PW);
  await page.waitForSelector('#kiosk-name');
  assert.equal(await page.$eval('nav a[aria-current=page]', (e) => e.getAttribute('href')), '#/kiosks');
  // Add by keyboard: the field, then Enter.
  await page.focus('#kiosk-name');
  await page.keyboard.type('library-1');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-token]');
  const token = await text(page, '[data-token]');
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'token-title');
  const qr = await page.$eval('img.qr', (e) => ({ ok: e.complete && e.naturalWidth > 0, alt: e.alt }));
  assert.ok(qr.ok && qr.alt);
  await axe(page, 'kiosks with token');
  await shots(page, 'kiosk-added');
  await until(async () => /library-1/.test(await mainText()), 'the new kiosk in the list');
  assert.equal(await page.$eval('[data-kiosk=library-1] [data-health]', (e) => e.dataset.health), 'red');

  // The device: a real kioskctl syncing with the token shown.
  const tokFile = path.join(dir, 'token');
  fs.writeFileSync(tokFile, token + '\n');
  const r = spawnSync(KIOSKCTL, ['--db', path.join(dir, 'kiosk.db'), 'sync', '--once', '--server', srv.url,
    '--token-file', tokFile], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  await page.reload();
  await page.waitForSelector('[data-kiosk=library-1]');
  assert.equal(await page.$eval('[data-kiosk=library-1] [data-health]', (e) => e.dataset.health), 'green');
  assert.match(await text(page, '[data-kiosk=library-1]'), /Kunnossa/);
  await axe(page, 'kiosks');
  await shots(page, 'kiosks');
});

test('adding a kiosk with a bad name: error summary and the error next to the field', async () => {
  await page.goto(srv.url + '/console/#/kiosks');
  await page.waitForSelector('#kiosk-name');
  await page.type('#kiosk-name', 'bad name!');
  await page.click('#kiosk-name ~ button, form button[type=submit]');
  await page.waitForSelector('.error-summary a[href="#kiosk-name"]');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
  assert.match(await text(page, '#kiosk-name-error'), /name/);
  await axe(page, 'kiosks with error');
  await shots(page, 'kiosks-error');
});

test('accounts: add one (errors named first), disable it; language switch keeps the page', async () => {
  await page.goto(srv.url + '/console/#/accounts');
  await page.waitForSelector('#acc-name');
  await page.type('#acc-name', 'kirsi');
  await page.select('#acc-role', 'coordinator');
  await page.type('#acc-password', 'short');
  await page.click('form button.primary');
  await page.waitForSelector('.error-summary a[href="#acc-password"]');
  await axe(page, 'accounts with error');
  await shots(page, 'accounts-error');
  await page.$eval('#acc-password', (e) => { e.value = ''; });
  await page.type('#acc-password', 'a much longer password');
  await page.type('#acc-kiosks', 'library-1');
  await page.click('form button.primary');
  await page.waitForSelector('[data-user=kirsi]');
  assert.equal(await page.$eval('[data-user=kirsi] select', (e) => e.value), 'coordinator');
  assert.match(await text(page, '[data-user=kirsi]'), /library-1/);
  // The last administrator cannot be demoted: the refusal is shown, nothing changes.
  await page.select('[data-user=anna] select', 'viewer');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /last administrator/);
  await until(async () => (await page.$eval('[data-user=anna] select', (e) => e.value)) === 'administrator', 'anna stays');
  await page.select('[data-user=kirsi] select', 'editor');
  await until(async () => /Tallennettu/.test(await mainText()), 'saved');
  await page.select('[data-user=kirsi] select', 'coordinator');
  await until(async () => (await page.$eval('[data-user=kirsi] select', (e) => e.value)) === 'coordinator', 'kirsi back');
  await page.click('.langs button[lang=en]');
  await page.waitForSelector('[data-user=kirsi]');
  assert.equal(await text(page, 'h1'), 'Accounts');
  assert.match(await text(page, '[data-user=kirsi] select option:checked'), /coordinator/);
  await axe(page, 'accounts');
  await shots(page, 'accounts');
  await page.click('[data-user=kirsi] button');
  await until(async () => /disabled/.test(await text(page, '[data-user=kirsi]')), 'kirsi disabled');
  await page.click('.langs button[lang=fi]');
});

test('audit log: every change with who and what, filtered by action', async () => {
  await page.goto(srv.url + '/console/#/audit');
  await page.waitForSelector('table.data');
  const all = await mainText();
  assert.match(all, /kiosk\.add/);
  assert.match(all, /user\.change/);
  assert.ok(!all.includes(PW));
  await page.type('#f-action', 'kiosk.');
  await page.click('.filters button');
  await until(async () => (await page.$$eval('tbody tr', (rs) => rs.map((r) => r.dataset.action)))
    .every((a) => a.startsWith('kiosk.')), 'the filter');
  await axe(page, 'audit');
  await shots(page, 'audit');
});

test('catalog: a content file with an error shows the error; a good one shows the summary first', async () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ format: 'kiosk-content', version: 1,
    items: [{ id: 'v-bad', kind: 'venue', name: { fi: 'Sali' }, price: 'gratis' }] }));
  await page.goto(srv.url + '/console/#/catalog');
  await page.waitForSelector('#c-file');
  await (await page.$('#c-file')).uploadFile(bad);
  await until(async () => page.evaluate(() => document.getElementById('c-file').files.length === 1), 'the file');
  await new Promise((r) => setTimeout(r, 100));
  await page.click('section form button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /item "v-bad" field "price"/);
  await axe(page, 'catalog upload error');
  await shots(page, 'catalog-upload-error');

  const sample = path.join(SOURCE, 'assets/content/sample.json');
  await page.goto(srv.url + '/console/#/kiosks');
  await page.goto(srv.url + '/console/#/catalog');
  await page.waitForSelector('#c-file');
  await (await page.$('#c-file')).uploadFile(sample);
  await until(async () => page.evaluate(() => document.getElementById('c-file').files.length === 1), 'the file');
  await new Promise((r) => setTimeout(r, 200));
  await page.click('section form button[type=submit]');
  await page.waitForSelector('#upload-summary');
  assert.match(await text(page, '#upload-summary'), /194 lisätään, 0 muuttuu, 0 poistetaan/);
  // Nothing written before the confirmation.
  const c = new Client(srv.url);
  await c.login('eero', PW);
  assert.equal((await c.req('GET', 'catalog')).json.total, 0);
  await axe(page, 'catalog upload summary');
  await shots(page, 'catalog-upload-summary');
  await page.click('#upload-summary button.primary');
  await page.waitForSelector('[data-item]');
  assert.equal((await c.req('GET', 'catalog')).json.total, 194);
  await axe(page, 'catalog');
  await shots(page, 'catalog');
});

test('catalog: search and filter on the server, pages', async () => {
  await page.goto(srv.url + '/console/#/catalog');
  await page.waitForSelector('[data-item]');
  assert.equal((await page.$$('[data-item]')).length, 50);
  await page.click('.pager button');
  await until(async () => /Sivu 2/.test(await text(page, '.pager')), 'page 2');
  await page.type('#c-q', 'eläkeläiset');
  await page.select('#c-kind', 'association');
  await page.click('.filters button');
  await until(async () => (await page.$$('[data-item]')).length === 4, 'four matches');
  // The areas of the file just imported are offered at once.
  assert.deepEqual(await page.select('#c-area', 'porvoo-keskusta'), ['porvoo-keskusta']);
  await page.click('.filters button');
  await until(async () => (await page.$$('[data-item]')).length === 1, 'one match');
  assert.match(await text(page, '[data-item]'), /Porvoon Eläkeläiset/);
});

test('edit an item with fi/sv/en side by side; an error sits next to its field; a kiosk pulls the change', async () => {
  await page.goto(srv.url + '/console/#/catalog/edit/a-porvoo-elakelaiset');
  await page.waitForSelector('#f-name-sv');
  assert.equal(await page.$eval('#f-name-sv', (e) => e.value), 'Borgå Pensionärer rf');
  await page.$eval('#f-email', (e) => { e.focus(); e.select(); });
  await page.keyboard.type('not an email');
  await page.click('.actions button.primary');
  await page.waitForSelector('#f-email-error');
  assert.match(await text(page, '.error-summary'), /email/);
  assert.equal(await page.$eval('.error-summary a', (a) => a.getAttribute('href')), '#f-email');
  await axe(page, 'editor with error');
  await shots(page, 'item-error');
  await page.$eval('#f-email', (e) => { e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.$eval('#f-name-en', (e) => { e.focus(); e.select(); });
  await page.keyboard.type('Porvoo Pensioners Club');
  await page.click('.actions button.primary');
  await page.waitForSelector('.notice');
  assert.match(await text(page, '.notice'), /Sisältöversio 195/);
  await axe(page, 'editor');
  await shots(page, 'item');
  // The kiosk of the first test pulls it.
  const kdb = path.join(dir, 'kiosk.db');
  const r = spawnSync(KIOSKCTL, ['--db', kdb, 'sync', '--once', '--server', srv.url,
    '--token-file', path.join(dir, 'token')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const q = spawnSync(KIOSKCTL, ['--db', kdb, 'search', '--lang', 'en', 'Pensioners Club'], { encoding: 'utf8' });
  assert.match(q.stdout, /a-porvoo-elakelaiset/);
});

test('a Finnish console shows a refused edit in Finnish, from the error code', async () => {
  await page.goto(srv.url + '/console/#/catalog/edit/a-porvoo-elakelaiset');
  await page.waitForSelector('#f-name-fi');
  await page.click('.langs button[lang=fi]');
  for (const lg of ['fi', 'sv', 'en']) {
    await page.$eval(`#f-name-${lg}`, (e) => { e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); });
  }
  await page.click('.actions button.primary');
  await page.waitForSelector('.error-summary');
  const summary = await text(page, '.error-summary');
  assert.match(summary, /Tieto puuttuu/);
  assert.doesNotMatch(summary, /missing|required/);
  assert.match(await text(page, 'fieldset.field-error'), /Tieto puuttuu/);
  await axe(page, 'editor with a Finnish error');
  await shots(page, 'item-error-fi');
  // Nothing was saved.
  const c = new Client(srv.url);
  assert.equal((await c.login('eero', PW)).status, 200);
  const r = await c.req('GET', 'catalog/items/a-porvoo-elakelaiset');
  assert.equal(r.json.item.name.sv, 'Borgå Pensionärer rf');
});

test('areas: fi/sv/en names side by side; a new one refused in Finnish, then saved and listed', async () => {
  await page.goto(srv.url + '/console/#/areas');
  await page.waitForSelector('[data-area]');
  const before = (await page.$$('[data-area]')).length;
  await axe(page, 'areas');
  await shots(page, 'areas');
  await page.click('main p button.primary');
  await page.waitForSelector('#a-id');
  await page.type('#a-id', 'porvoo-sondersundet');
  await page.type('#a-name-fi', 'Söderskär–Åsträsk');
  await page.type('#a-name-sv', 'Söderskär–Åsträsk');
  await page.type('#a-name-en', 'Söderskär and Åsträsk');
  await page.select('#a-type', 'village');
  // No municipality: refused as an import would be, the message in Finnish by its field.
  await page.click('form.editor button.primary');
  await page.waitForSelector('#a-city-error');
  assert.match(await text(page, '#a-city-error'), /Tieto puuttuu/);
  assert.equal(await page.$eval('.error-summary a', (a) => a.getAttribute('href')), '#a-city');
  await axe(page, 'areas with error');
  await shots(page, 'areas-error');
  await page.type('#a-city', 'Porvoo');
  await page.click('form.editor button.primary');
  await page.waitForSelector('[data-area=porvoo-sondersundet]');
  assert.equal((await page.$$('[data-area]')).length, before + 1);
  assert.match(await text(page, '[data-area=porvoo-sondersundet]'), /Söderskär–Åsträsk.*\n?.*kylä/s);
  assert.match(await text(page, '.notice'), /tallennettu/);
  // Edited: the English name changes, the id stays.
  await page.click('[data-area=porvoo-sondersundet] button');
  await page.waitForSelector('#a-name-en');
  assert.equal(await page.$eval('#a-id', (e) => e.readOnly), true);
  await page.$eval('#a-name-en', (e) => { e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.type('#a-name-en', 'Söderskär village');
  await page.click('form.editor button.primary');
  await until(async () => /Söderskär village/.test(await text(page, '[data-area=porvoo-sondersundet]')), 'the new name');
  // The item editor offers it.
  await page.goto(srv.url + '/console/#/catalog/edit/a-porvoo-elakelaiset');
  await page.waitForSelector('#f-area option[value=porvoo-sondersundet]');
});

test('publish a survey: checked, listed with its version, pulled by a kiosk; a broken ballot is refused', async () => {
  await page.goto(srv.url + '/console/#/docs');
  await page.waitForSelector('#d-file');
  const bad = path.join(dir, 'bad-ballot.json');
  const ballot = JSON.parse(fs.readFileSync(path.join(SOURCE, 'assets/content/ballots/porvoo-toimintaraha.json'), 'utf8'));
  delete ballot.title;
  fs.writeFileSync(bad, JSON.stringify(ballot));
  await page.select('#d-type', 'ballot');
  await (await page.$('#d-file')).uploadFile(bad);
  await until(async () => page.evaluate(() => document.getElementById('d-file').files.length === 1), 'the file');
  await new Promise((r) => setTimeout(r, 200));
  await page.click('section form button.primary');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /title/);
  assert.ok(!(await text(page, '.error-summary')).includes('kiosk-console-'), 'no temporary path shown');
  await axe(page, 'docs with error');
  await shots(page, 'docs-error');

  await page.select('#d-type', 'survey');
  await (await page.$('#d-file')).uploadFile(path.join(SOURCE, 'assets/content/surveys/library-feedback.json'));
  await new Promise((r) => setTimeout(r, 200));
  await page.click('section form button.primary');
  await page.waitForSelector('[data-doc="library-feedback@1"]');
  assert.match(await text(page, '.notice'), /library-feedback julkaistu \(versio 1\)/);
  await axe(page, 'docs');
  await shots(page, 'docs');
  const kdb = path.join(dir, 'kiosk.db');
  const r = spawnSync(KIOSKCTL, ['--db', kdb, 'sync', '--once', '--server', srv.url,
    '--token-file', path.join(dir, 'token')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const l = spawnSync(KIOSKCTL, ['--db', kdb, 'survey', 'list'], { encoding: 'utf8' });
  assert.match(l.stdout, /library-feedback/);
});

test('sources: settings and run log; Run now by keyboard shows progress and the outcome without a reload', async () => {
  await page.goto(srv.url + '/console/#/sources');
  await page.waitForSelector('[data-source=linkedevents]');
  const le = () => text(page, '[data-source=linkedevents]');
  assert.match(await le(), new RegExp(data.base.replace(/[.]/g, '\\.') + '/linkedevents/v1/event/'));
  assert.match(await le(), /90 päivää eteenpäin/);
  assert.match(await le(), /Ei tuonteja vielä/);
  await axe(page, 'sources');
  await shots(page, 'sources');
  // Keyboard: Tab to Linked Events' button, Enter.
  await page.focus('#src-linkedevents');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.closest('[data-source=linkedevents]') && document.activeElement.tagName === 'BUTTON')) break;
  }
  const navs = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  await page.keyboard.press('Enter');
  await until(async () => /Onnistui/.test(await text(page, '#status-linkedevents')), 'the outcome', 15000);
  assert.match(await text(page, '#status-linkedevents'), /Lisätty \d+, muuttunut 0, poistettu 0/);
  assert.ok(await page.$('[data-source=linkedevents] tr[data-ok="1"]'), 'the run in the table');
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), navs, 'no reload');
  // A slow source: running with its progress, a second press says it is running, then it fails on its timeout.
  await page.click('[data-source=servicemap] button.primary');
  await until(async () => /Tuonti käynnissä/.test(await text(page, '#status-servicemap')), 'running');
  await page.click('[data-source=servicemap] button.primary');
  await until(async () => /Tuonti on jo käynnissä/.test(await text(page, '#status-servicemap')), 'said running');
  await axe(page, 'sources while running');
  await shots(page, 'sources-running');
  await until(async () => /Epäonnistui/.test(await text(page, '#status-servicemap')), 'the failure', 15000);
  assert.match(await text(page, '#status-servicemap'), /no complete answer within 3 s/);
  await page.click('.langs button[lang=en]');
  await page.waitForSelector('[data-source=varaamo]');
  assert.match(await text(page, 'h1'), /Open data/);
  await axe(page, 'sources in English');
  await shots(page, 'sources-en');
  await page.click('.langs button[lang=fi]');
});

test('kiosk settings: a bad idle time named at its field, then saved and pulled by the kiosk; publishing on the docs page', async () => {
  await page.goto(srv.url + '/console/#/kiosks');
  await page.waitForSelector('[data-kiosk=library-1]');
  await page.click('[data-kiosk=library-1] .row-actions button');
  await page.waitForSelector('#ks-place');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ks-title');
  await page.type('#ks-place', 'Porvoon pääkirjasto');
  await page.select('#ks-lang', 'sv');
  await page.type('#ks-idle', '5');
  await page.click('#ks-always');  // opening hours per weekday
  await page.waitForSelector('#ks-open-sat');
  for (const [id, v] of [['#ks-open-sat', '10:00'], ['#ks-close-sat', '16:00']]) {
    await page.$eval(id, (e) => { e.value = ''; });
    await page.type(id, v);
  }
  await page.click('#ks-closed-sun');
  await page.click('#ks-surveys-library-feedback');  // this kiosk does not show it
  await page.click('.settings button.primary');
  await page.waitForSelector('.settings .error-summary a[href="#ks-idle"]');
  assert.match(await text(page, '#ks-idle-error'), /30\.\.600/);
  await axe(page, 'kiosk settings with error');
  await shots(page, 'kiosk-settings-error');
  await page.$eval('#ks-idle', (e) => { e.value = ''; });
  await page.type('#ks-idle', '120');
  await page.click('.settings button.primary');
  await until(async () => /Tallennettu/.test(await text(page, '.settings')), 'saved');
  assert.equal(await page.$eval('#ks-close-sat', (e) => e.value), '16:00');
  assert.equal(await page.$eval('#ks-open-sun', (e) => e.disabled), true);
  assert.equal(await page.$eval('#ks-surveys-library-feedback', (e) => e.checked), false);
  await axe(page, 'kiosk settings');
  await shots(page, 'kiosk-settings');
  // The kiosk pulls them on its next sync.
  const kdb = path.join(dir, 'kiosk.db');
  let r = spawnSync(KIOSKCTL, ['--db', kdb, 'sync', '--once', '--server', srv.url,
    '--token-file', path.join(dir, 'token')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  r = spawnSync(KIOSKCTL, ['--db', kdb, 'sync', 'settings'], { encoding: 'utf8' });
  assert.match(r.stdout, /"place":"Porvoon pääkirjasto","hours":\{"mon":"08:00-20:00".*"sat":"10:00-16:00","sun":"closed"\},"idle_s":120,"language":"sv"/);
  assert.match(r.stdout, /surveys:\n/);
  // The same choice on the docs page: published to chosen kiosks, not this one.
  await page.goto(srv.url + '/console/#/docs');
  await page.waitForSelector('[data-pub="survey-library-feedback"]');
  assert.match(await text(page, '[data-pub="survey-library-feedback"]'), /Valitut kioskit/);
  await axe(page, 'docs publishing');
  await shots(page, 'docs-publishing');
  await page.click('#pub-survey-library-feedback-closed');
  await page.click('[data-pub="survey-library-feedback"] button');
  await until(async () => /Julkaistu: Suljettu/.test(await text(page, '[data-pub="survey-library-feedback"]')), 'closed');
  await axe(page, 'docs publishing closed');
});

test('a forged cross-site POST from another site changes nothing', async () => {
  // A hostile page on another site (localhost is not 127.0.0.1's site) posts a form to
  // the console while the administrator is logged in.
  const evil = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html><title>x</title><form method=post enctype="text/plain"
      action="${srv.url}/v1/admin/kiosks"><input name='{"name":"forged","x":"' value='"}'></form>
      <script>document.forms[0].submit()</script>`);
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  try {
    const p2 = await browser.newPage();
    await p2.goto(`http://localhost:${evil.address().port}/`);
    await p2.waitForNetworkIdle({ idleTime: 200 }).catch(() => {});
    await p2.close();
  } finally {
    evil.close();
  }
  const c = new Client(srv.url);
  await c.login('anna', PW);
  const names = (await c.req('GET', 'kiosks')).json.kiosks.map((k) => k.name);
  assert.ok(!names.includes('forged'));
  const log = (await c.req('GET', 'audit?action=kiosk.add')).json.entries.map((e) => e.target);
  assert.ok(!log.includes('forged'));
});

test('keyboard only: the skip link comes first and leads to the page; the menu works by Tab and Enter', async () => {
  await page.goto(srv.url + '/console/#/kiosks');
  await page.reload();
  await page.waitForSelector('[data-kiosk]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  // Tab on until the menu's Catalog link, then Enter.
  await page.evaluate(() => document.querySelector('.skip').focus());
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.getAttribute('href') === '#/catalog')) break;
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-item]');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  assert.match(await text(page, 'h1'), /Sisällöt/);
});

test('a viewer sees no admin actions, and the server refuses them anyway', async () => {
  await logout();
  await loginByKeyboard('ville', PW);
  await page.waitForSelector('[data-kiosk=library-1]');
  assert.equal(await page.$('#kiosk-name'), null);
  assert.equal(await page.$('[data-kiosk] button'), null);
  assert.deepEqual(await page.$$eval('nav a', (as) => as.map((a) => a.getAttribute('href'))), ['#/kiosks', '#/catalog', '#/areas', '#/docs', '#/feedback', '#/survey-results', '#/workshops', '#/sources']);
  // Areas: read-only for a viewer.
  await page.goto(srv.url + '/console/#/areas');
  await page.waitForSelector('[data-area]');
  assert.equal(await page.$('[data-area] button'), null);
  await page.goto(srv.url + '/console/#/kiosks');
  await page.waitForSelector('[data-kiosk=library-1]');
  // The request a doctored page would send, with the viewer's own CSRF token.
  const st = await page.evaluate(async () => {
    const me = await (await fetch('/v1/admin/session')).json();
    const r = await fetch('/v1/admin/kiosks', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: '{"name":"by-viewer"}' });
    return [r.status, (await r.json()).error];
  });
  assert.equal(st[0], 403);
  assert.match(st[1], /viewer role may not/);
  await axe(page, 'kiosks as viewer');
  await shots(page, 'kiosks-viewer');
  // Sources: the run log, but no Run now.
  await page.goto(srv.url + '/console/#/sources');
  await page.waitForSelector('[data-source=linkedevents] tr[data-run]');
  assert.equal(await page.$('[data-source] button'), null);
  await page.goto(srv.url + '/console/#/accounts');
  await page.waitForSelector('main h1');
  assert.match(await mainText(), /Roolisi ei salli/);
  // An editor's action: the viewer sees the item read-only, and the server refuses
  // the save all the same.
  await page.goto(srv.url + '/console/#/catalog/edit/a-porvoo-elakelaiset');
  await page.waitForSelector('#f-name-fi');
  assert.equal(await page.$eval('#f-name-fi', (e) => e.readOnly), true);
  assert.equal(await page.$('.actions button'), null);
  const save = await page.evaluate(async () => {
    const me = await (await fetch('/v1/admin/session')).json();
    const item = (await (await fetch('/v1/admin/catalog/items/a-porvoo-elakelaiset')).json()).item;
    item.name.fi = 'Viewer was here';
    const r = await fetch('/v1/admin/catalog/items/a-porvoo-elakelaiset', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: JSON.stringify({ item }) });
    return r.status;
  });
  assert.equal(save, 403);
  await axe(page, 'item as viewer');
  await shots(page, 'item-viewer');
});

test('log out: the session is gone on the server too', async () => {
  await logout();
  const st = await page.evaluate(async () => (await fetch('/v1/admin/session')).status);
  assert.equal(st, 401);
});

test('wrong passwords until throttled: the page says when to try again', async () => {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  let msg = '';
  // The first three failures cost nothing; after that each waits twice as long, so
  // the page shows the wait within a few tries.
  for (let i = 0; i < 10 && !/Liian monta/.test(msg); i++) {
    await page.$eval('#login-name', (e) => { e.value = ''; });
    await page.type('#login-name', 'eero');
    await page.type('#login-password', 'not the password');
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/admin/login'));
    await page.click('button[type=submit]');
    await answered;
    await page.waitForSelector('.error-summary');
    await until(async () => (await page.$eval('#login-password', (e) => e.value)) === '', 'the form reset');
    msg = await text(page, '.error-summary');
  }
  assert.match(msg, /Liian monta epäonnistunutta kirjautumista. Yritä uudelleen \d+ sekunnin kuluttua/);
  await axe(page, 'login throttled');
  await shots(page, 'login-throttled');
});
