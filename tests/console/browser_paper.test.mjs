// Entering a paper ballot in the console in Debian's Chromium against the real server:
// the page axe-clean and photographed at 1366x768 and 1920x1080, the kiosk's rule while
// ticking (a project over the budget cannot be ticked), the save, and the same serial
// a second time refused next to its field; the tally counts it as paper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tmpdir, serverDb, addUser, admin, startServer, launchBrowser, axe, shots, text, Client, newPage, until } from './harness.mjs';

const PW = 'correct horse battery';
let dir, db, srv, browser, page;

const BALLOT = {
  format: 'kiosk-ballot', version: 1, id: 'puistot-2026',
  title: { fi: 'Puistojen kehittäminen 2026', sv: 'Parkerna 2026', en: 'Parks 2026' },
  eligibility: { fi: 'Kaikki' }, opens: '2026-01-01', closes: '2099-12-31',
  rule: { type: 'knapsack', budget: 10000 },
  projects: [
    { id: 'penkit', title: { fi: 'Uudet penkit', sv: 'Nya bänkar', en: 'New benches' }, cost: 3000 },
    { id: 'valot', title: { fi: 'Polkujen valaistus', sv: 'Belysning av stigarna', en: 'Lights on the paths' }, cost: 6000 },
    { id: 'leikki', title: { fi: 'Leikkipaikka', sv: 'Lekplats', en: 'Playground' }, cost: 5000 },
  ],
};

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  addUser(db, 'kaija', 'coordinator', PW);
  srv = await startServer(db);
  const c = new Client(srv.url);
  assert.equal((await c.login('kaija', PW)).status, 200);
  assert.equal((await c.req('POST', 'docs/import?type=ballot', JSON.stringify(BALLOT))).status, 200);
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('a coordinator enters a paper ballot; the same serial again is refused', async () => {
  await page.goto(srv.url + '/console/');
  await page.waitForSelector('#login-name');
  await page.type('#login-name', 'kaija');
  await page.type('#login-password', PW);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav a[href="#/paper"]');
  await page.click('nav a[href="#/paper"]');
  await page.waitForSelector('#p-ballot');
  assert.equal(await text(page, 'h1'), 'Syötä paperiääni');
  await axe(page, 'paper, no ballot chosen');

  // nothing chosen: the summary names the ballot and the serial
  await page.click('button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /Valitse äänestys\.[\s\S]*Kirjoita lipun sarjanumero\./);

  await page.select('#p-ballot', 'puistot-2026');
  await page.waitForSelector('#pp-penkit');
  await page.type('#p-serial', 'P-0042');
  await page.click('#pp-valot');   // 6 000
  await page.click('#pp-penkit');  // 3 000: 9 000 of 10 000
  await until(async () => page.$eval('#pp-leikki', (e) => e.disabled), 'the playground greyed out');
  assert.match(await text(page, '#p-running'), /Valittu 2, yhteensä 9[\s\u00a0]000 € \/ 10[\s\u00a0]000 €/);
  assert.match(await text(page, '#pp-leikki-why'), /Ei mahdu jäljellä olevaan budjettiin/);
  await axe(page, 'paper, projects ticked');
  await shots(page, 'paper-form');

  await page.click('button[type=submit]');
  await page.waitForSelector('.notice');
  assert.match(await text(page, '.notice'), /Paperiääni P-0042 tallennettu/);
  assert.equal(await page.$eval('#p-serial', (e) => e.value), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'p-serial');

  // the same paper again
  await page.type('#p-serial', 'P-0042');
  await page.click('#pp-leikki');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.match(await text(page, '.error-summary'), /Paperiääni P-0042 on jo syötetty tähän äänestykseen/);
  assert.match(await text(page, '#p-serial-error'), /jokainen lippu syötetään vain kerran/);
  assert.equal(await page.$eval('#p-serial', (e) => e.getAttribute('aria-invalid')), 'true');
  await axe(page, 'paper, serial entered twice');
  await shots(page, 'paper-duplicate');

  // in English too
  await page.click('.langs button[lang=en]');
  await page.waitForSelector('#p-ballot');
  assert.equal(await text(page, 'h1'), 'Enter a paper ballot');
  await axe(page, 'paper, English');

  const t = admin(db, 'ballot-tally', 'puistot-2026');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /1 ballots counted \(0 with a code, 0 unlocked by staff, 1 on paper\), 0 invalid/);
});

test('a ballot result in the console: winners and reasons in a table, by keyboard, focus on the result', async () => {
  await page.click('.langs button[lang=fi]');
  await page.waitForSelector('nav a[href="#/tally"]');
  await page.click('nav a[href="#/tally"]');
  await page.waitForSelector('#t-ballot');
  await axe(page, 'tally, nothing counted');
  await page.focus('#t-ballot');
  await page.select('#t-ballot', 'puistot-2026');
  await page.focus('button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#t-result');
  await until(async () => page.evaluate(() => document.activeElement.id === 't-result'), 'focus on the result');
  assert.match(await text(page, '#t-result'), /Puistojen kehittäminen 2026/);
  assert.match(await text(page, 'main'), /Laskettu 1 ääntä \(0 koodilla, 0 henkilökunnan avaamana, 1 paperilla\), 0 hylättyä/);
  assert.match(await text(page, 'tr[data-project=valot]'), /Voittaja/);
  assert.match(await text(page, 'tr[data-project=penkit]'), /Voittaja/);
  const leikki = await text(page, 'tr[data-project=leikki]');
  assert.match(leikki, /Ei voittanut/);
  assert.match(leikki, /5[\s\u00a0]000/);
  // winners listed, spent and left of the budget and the votes per project as charts,
  // each with its numbers in a table
  const winners = await page.$$eval('#t-winners li', (v) => v.map((li) => li.innerText));
  assert.deepEqual(winners.map((w) => w.split(' (')[0]).sort(), ['Polkujen valaistus', 'Uudet penkit']);
  assert.match(await text(page, '#t-budget'), /Käytetty\s+9[\s\u00a0]000 €[\s\S]*Jäljellä\s+1[\s\u00a0]000 €/);
  const charts = await page.$$eval('svg.chart', (v) => v.map((c) => c.getAttribute('aria-label')));
  assert.deepEqual(charts, ['Kaavio: Budjetti. Luvut ovat viereisessä taulukossa.', 'Kaavio: Äänet hankkeittain. Luvut ovat viereisessä taulukossa.']);
  const bars = await page.$$eval('svg.chart[aria-label^="Kaavio: Äänet"] text.chart-value', (v) => v.map((x) => x.textContent));
  assert.deepEqual(bars, ['1', '1', '0']);
  assert.equal(await page.$$eval('.chart-frame button[data-download]', (v) => v.length), 4);
  await axe(page, 'tally, counted');
  await shots(page, 'tally');
  // a key that is not a key: refused next to its field, and the field is emptied
  await page.type('#t-key', 'abc');
  await page.click('button[type=submit]');
  await page.waitForSelector('#t-key-error');
  assert.equal(await page.$eval('#t-key', (e) => e.value), '');
  await axe(page, 'tally, bad key');
});
