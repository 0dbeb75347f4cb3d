// The survey results page in Debian's Chromium against the real server: a survey in
// two versions answered from two kiosks on one page with the per-question numbers
// right, axe-core clean in Finnish, Swedish and English, screenshots at 1366x768 and
// 1920x1080, filters and hiding a text answer by keyboard, the downloads, and a
// coordinator limited to one kiosk seeing only that kiosk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tmpdir, serverDb, addUser, startServer, launchBrowser, axe, shots, text, Client, newPage, until } from './harness.mjs';
import { push, uuid } from './feedback.mjs';
import { SURVEY_ID, surveyV1, surveyV2, resp } from './results_survey.mjs';

process.env.TZ = 'Europe/Helsinki';
const PW = 'correct horse battery';
let dir, db, srv, browser, page;

before(async () => {
  dir = tmpdir('survres-b-');
  db = serverDb(dir);
  addUser(db, 'anna', 'administrator', PW);
  addUser(db, 'kaisa', 'coordinator', PW, 'lobby');
  srv = await startServer(db);
  const c = new Client(srv.url);
  assert.equal((await c.login('anna', PW)).status, 200);
  for (const s of [surveyV1(), surveyV2()])
    assert.equal((await c.req('POST', 'docs/import?type=survey', JSON.stringify(s))).status, 200);
  const tok = {};
  for (const k of ['lobby', 'hall']) tok[k] = (await c.req('POST', 'kiosks', { name: k })).json.token;
  // Three weeks of answers to both versions, a few with comments.
  const rows = { lobby: [], hall: [] };
  const visits = ['weekly', 'monthly', 'rarely'], svc = ['books', 'computers', 'events'], tops = ['a', 'b', 'c', 'd'];
  const comments = ['Hyvä kirjasto', 'Lisää istumapaikkoja', 'Soittakaa minulle 040 123 4567', 'Kahvila puuttuu'];
  for (let i = 0; i < 60; i++) {
    const v = i < 36 ? 1 : 2, day = 1 + Math.floor(i / 3), k = i % 4 === 0 ? 'hall' : 'lobby';
    const a = { visits: v === 2 && i % 5 === 0 ? 'daily' : visits[i % 3], services: [svc[i % 3]].concat(i % 2 ? [svc[(i + 1) % 3]] : []),
      top: [tops[i % 4], tops[(i + 1) % 4]], satisfaction: 1 + ((i * 7) % 5), age: 18 + ((i * 13) % 60) };
    if (i % 9 === 0) a.comment = comments[(i / 9) % comments.length];
    rows[k].push(resp(uuid(200 + i), v, `2026-11-${String(day).padStart(2, '0')}T${String(8 + (i % 8)).padStart(2, '0')}Z`, a));
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

async function tabTo(re, max = 120, rowRe = null) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const [t, row] = await page.evaluate(() => [document.activeElement.getAttribute('aria-label') || document.activeElement.innerText || '',
      document.activeElement.closest('tr') ? document.activeElement.closest('tr').innerText : '']);
    if (re.test(t) && (!rowRe || rowRe.test(row))) return;
  }
  throw new Error('never reached ' + re);
}

// A question's table as [row head, cells...] rows.
const table = (sel) => page.$eval(sel, (s) => [...s.querySelectorAll('table tbody tr')].map((r) => [...r.children].map((c) => c.innerText)));

test('both versions on one page: per-question charts with tables, axe-clean in fi, sv, en; screenshots', async () => {
  await login('anna');
  await tabTo(/^Kyselyjen tulokset$/);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#sv-total');
  const api = await (new Client(srv.url)).login('anna', PW).then(() => null);
  void api;
  assert.match(await text(page, '#sv-total'), /Vastauksia yhteensä 60/);
  // The version table, the per-day table and one section per question as asked.
  assert.deepEqual(await page.$eval('#t-versions', (c) => [...c.closest('table').querySelectorAll('tbody tr')].map((r) => r.innerText.replace(/\s+/g, ' '))), ['1 36', '2 24']);
  const sections = await page.$$eval('section.question', (v) => v.map((s) => s.dataset.question + ':' + s.dataset.versions));
  assert.deepEqual(sections, ['visits:2', 'services:1, 2', 'top:1, 2', 'satisfaction:1, 2', 'age:1, 2', 'comment:1, 2', 'wish:2', 'visits:1']);
  assert.match(await text(page, 'section[data-question="visits"][data-versions="2"] .hint'), /muuttui versioiden välillä: nämä vastaukset ovat versioista 2/);
  // The numbers in the tables are the API's.
  const c = new Client(srv.url);
  await c.login('anna', PW);
  const j = (await c.req('GET', `results/surveys/${SURVEY_ID}`)).json;
  const svc = j.questions.find((x) => x.id === 'services');
  const rows = await table('section[data-question="services"]');
  assert.deepEqual(rows.map((r) => Number(r[1])), svc.options.map((o) => o.count));
  assert.equal(svc.options.reduce((a, o) => a + o.count, 0) > svc.answered, true, 'several choices each');
  const top = j.questions.find((x) => x.id === 'top');
  const trows = await table('section[data-question="top"]');
  assert.deepEqual(trows.map((r) => [Number(r[1]), Number(r[3])]), top.options.map((o) => [o.count, o.first]));
  const sat = j.questions.find((x) => x.id === 'satisfaction');
  assert.match(await text(page, 'section[data-question="satisfaction"] .figures'), new RegExp(`Mediaani: ${String(sat.median).replace('.', ',')}`));
  assert.deepEqual((await table('section[data-question="age"]')).map((r) => Number(r[1])), j.questions.find((x) => x.id === 'age').bins.map((b) => b.count));
  // Every chart is an image with a label, and a table of its numbers beside it.
  const charts = await page.$$eval('svg.chart', (v) => v.map((s) => s.getAttribute('role') + ':' + s.getAttribute('aria-label')));
  assert.equal(charts.length, 1 + 6);
  for (const x of charts) assert.match(x, /^img:Kaavio: .*taulukossa\.$/);
  await axe(page, 'survey results (fi)');
  await shots(page, 'results-surveys-fi');
  for (const [lang, h1] of [['sv', 'Enkätresultat'], ['en', 'Survey results']]) {
    await page.click(`.langs button[lang="${lang}"]`);
    await page.waitForFunction((h) => document.querySelector('main h1').innerText === h, {}, h1);
    await page.waitForSelector('#sv-total');
    await axe(page, `survey results (${lang})`);
  }
  assert.match(await text(page, 'section[data-question="top"]'), /Opening hours/);
  await shots(page, 'results-surveys-en');
  await page.click('.langs button[lang="fi"]');
  await page.waitForFunction(() => document.querySelector('main h1').innerText === 'Kyselyjen tulokset');
});

test('by keyboard: one kiosk and one version chosen, then a text answer with personal data hidden', async () => {
  await page.waitForSelector('#sv-total');
  await page.focus('#s-kiosk');
  // all kiosks, hall, lobby: two steps down is lobby
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.focus('#s-version');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await page.evaluate(() => [document.querySelector('#s-kiosk').value, document.querySelector('#s-version').value]), ['lobby', '1']);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await until(async () => /Vastauksia yhteensä 27\b/.test(await text(page, '#sv-total')), 'lobby, version 1');
  assert.deepEqual(await page.$$eval('section.question', (v) => v.map((s) => s.dataset.question)), ['visits', 'services', 'top', 'satisfaction', 'age', 'comment']);
  assert.doesNotMatch(await text(page, 'section[data-question="comment"]'), /\bhall\b/);
  await tabTo(/Piilota vastaus .*lobby/, 150, /040 123 4567/);
  const row = await page.evaluate(() => document.activeElement.closest('tr').dataset.uuid);
  await page.keyboard.press('Enter');
  await page.waitForSelector('p.notice');
  await until(async () => /Piilotettu \(henkilötietoja\), piilotti anna/.test(await text(page, `tr[data-uuid="${row}"]`)), 'the hidden row');
  assert.doesNotMatch(await text(page, 'section[data-question="comment"]'), /040 123 4567/);
  // The downloads carry the page's choices; the browser's session fetches them.
  const hrefs = await page.$$eval('.downloads a', (v) => v.map((a) => a.getAttribute('href')));
  const qs = new URLSearchParams(hrefs[0].split('?')[1]);
  assert.deepEqual([qs.get('format'), qs.get('kiosk'), qs.get('version')], ['csv', 'lobby', '1']);
  const csv = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, await r.text()]; }, hrefs[0]);
  assert.equal(csv[0], 200);
  assert.equal(csv[1].split('\r\n').filter(Boolean).length, 1 + 27);
  assert.match(csv[1], /\(piilotettu\)/);
  await axe(page, 'survey results after hiding');
  await shots(page, 'results-surveys-filtered');
});

test('a coordinator limited to one kiosk sees only that kiosk on the page', async () => {
  await page.click('.who button');
  await page.waitForSelector('#login-name');
  await login('kaisa');
  await page.goto(srv.url + '/console/#/survey-results');
  await page.waitForSelector('#sv-total');
  assert.match(await text(page, '#sv-total'), /Vastauksia yhteensä 45\b/);
  assert.deepEqual(await page.$$eval('#s-kiosk option', (v) => v.map((o) => o.value)), ['', 'lobby']);
  assert.doesNotMatch(await text(page, 'section[data-question="comment"]'), /\bhall\b/);
  await axe(page, 'survey results (coordinator)');
});
