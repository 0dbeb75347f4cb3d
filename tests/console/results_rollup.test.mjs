// Counts for a period (docs/admin-api.md, "Results"): for every kiosk a survey's add
// whole local months from the month table and the days at the period's edges from the
// day table; feedback from cards adds whole UTC months and the hours at the edges.  Here the same answers counted three ways must agree for periods
// with edges in mid-month, on the first and last day of a month, without a bound,
// without a whole month and at local-day boundaries (an hour stored as 21Z is the next
// local day in Helsinki): the month path (every kiosk), the per-kiosk day path (a
// coordinator of both kiosks) and the raw answers counted here.  The month table
// itself is checked against the raw answers, and an older database without it is
// filled on upgrade and counts on afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tmpdir, addUser, startServer, Client } from './harness.mjs';
import { push } from './feedback.mjs';
import { SURVEY_ID, surveyV1, surveyV2, resp } from './results_survey.mjs';

process.env.TZ = 'Europe/Helsinki';
const PW = 'correct horse battery';
const R = `results/surveys/${SURVEY_ID}`;
const KIOSKS = ['lobby', 'hall'];
let dir, db, srv, admin, both;
const tokens = {};
const rows = [];  // [kiosk, response]
const fbRows = [];  // [kiosk, feedback]

// Deterministic answers over a year, with hours placed at local month and day edges.
let seed = 7;
const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const uuidOf = (n) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
function answers(version) {
  const a = { visits: pick(version === 1 ? ['weekly', 'monthly', 'rarely'] : ['daily', 'weekly', 'monthly', 'rarely']),
    services: ['books', 'computers', 'events'].filter(() => rnd() < 0.5),
    top: ['a', 'b', 'c', 'd'].sort(() => rnd() - 0.5).slice(0, 2), satisfaction: 1 + Math.floor(rnd() * 5) };
  if (rnd() < 0.7) a.age = 10 + Math.floor(rnd() * 70);
  if (rnd() < 0.3) a.comment = 'sana ' + Math.floor(rnd() * 1000);
  return a;
}
const EDGES = ['2026-02-28T21Z', '2026-02-28T22Z', '2026-03-31T20Z', '2026-03-31T21Z', '2026-05-31T20Z',
  '2026-05-31T21Z', '2026-04-30T09Z', '2026-04-29T20Z', '2026-01-09T22Z', '2026-06-14T21Z', '2026-06-20T20Z', '2026-06-20T21Z', '2025-11-30T22Z', '2026-11-30T21Z'];
function makeRows(from, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const hour = i < EDGES.length ? EDGES[i]
      : new Date(Date.UTC(2025, 11, 1) + Math.floor(rnd() * 365) * 86400000 + Math.floor(rnd() * 24) * 3600000).toISOString().slice(0, 13) + 'Z';
    const version = hour < '2026-06' ? 1 : 2;
    out.push([KIOSKS[i % 2], resp(uuidOf(from + i), version, hour, answers(version))]);
    out.push([KIOSKS[(i + 1) % 2], { uuid: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`, kind: 'feedback',
      payload: { type: 'feedback', hour, score: 1 + Math.floor(rnd() * 5), context: pick(['home', 'i-1', 'i-2', 'i-3', 'i-4']) } }]);
  }
  return out;
}
async function pushAll(url, tokens, list) {
  for (const k of KIOSKS) {
    const mine = list.filter(([kk]) => kk === k).map(([, r]) => r);
    for (let i = 0; i < mine.length; i += 100) await push(url, tokens[k], mine.slice(i, i + 100));
  }
  rows.push(...list.filter(([, r]) => r.kind === 'survey-response'));
  fbRows.push(...list.filter(([, r]) => r.kind === 'feedback'));
}

// The local day of a stored hour, as the server's TZ gives it.
const pad = (n) => String(n).padStart(2, '0');
function localDay(hour) {
  const d = new Date(hour.slice(0, 13) + ':00:00Z');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Counted here from the raw answers: responses, options of the choices, scale steps
// and the answered ages, for the period.
function raw(from, to) {
  const sel = rows.map(([, r]) => r.payload).filter((p) => { const d = localDay(p.hour); return (!from || d >= from) && (!to || d <= to); });
  const count = (fn) => { const m = {}; for (const p of sel) for (const k of fn(p)) m[k] = (m[k] || 0) + 1; return m; };
  return {
    responses: sel.length,
    visits1: count((p) => p.version === 1 ? [p.answers.visits] : []),
    visits2: count((p) => p.version === 2 ? [p.answers.visits] : []),
    services: count((p) => p.answers.services),
    first: count((p) => p.answers.top.slice(0, 1)),
    steps: count((p) => [p.answers.satisfaction]),
    ages: sel.filter((p) => p.answers.age !== undefined).length,
  };
}
// Feedback from cards per card, the five faces, for the period.
function rawCards(from, to) {
  const out = {};
  for (const [, { payload: p }] of fbRows) {
    const d = localDay(p.hour);
    if (p.context === 'home' || (from && d < from) || (to && d > to)) continue;
    (out[p.context] ||= [0, 0, 0, 0, 0])[p.score - 1]++;
  }
  return out;
}
const q = (j, id, v) => j.questions.find((x) => x.id === id && (!v || x.versions.includes(v)));
const nonzero = (m) => Object.fromEntries(Object.entries(m).filter(([, n]) => n));
function fromApi(j) {
  const opts = (x, f = 'count') => nonzero(Object.fromEntries(x.options.map((o) => [o.id, o[f]])));
  return {
    responses: j.responses,
    visits1: opts(q(j, 'visits', 1)),
    visits2: opts(q(j, 'visits', 2)),
    services: opts(q(j, 'services')),
    first: opts(q(j, 'top'), 'first'),
    steps: nonzero(Object.fromEntries(q(j, 'satisfaction').steps.map((s) => [s.value, s.count]))),
    ages: q(j, 'age').answered,
  };
}

const PERIODS = [
  ['2026-03-15', '2026-06-20'], ['2026-04-01', '2026-05-31'], ['2026-06-01', null], [null, '2026-05-15'],
  ['2026-05-31', '2026-06-01'], ['2026-02-01', '2026-02-28'], ['2026-01-31', '2026-03-01'],
  ['2025-12-01', '2026-11-30'], ['2026-06-15', '2026-06-20'], ['2026-03-01', '2026-03-31'], [null, '2026-02-28'],
  ['2026-12-01', null], ['2026-01-10', '2026-04-29'],
];
async function agree(label) {
  for (const [from, to] of PERIODS) {
    const qs = [from && `from=${from}`, to && `to=${to}`].filter(Boolean).join('&');
    const a = await admin.req('GET', `${R}?${qs}`);
    const b = await both.req('GET', `${R}?${qs}`);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.deepEqual(fromApi(a.json), raw(from, to), `${label}: ${qs}, every kiosk against the raw answers`);
    // The per-kiosk path answers in full the same (kiosks listed aside).
    assert.deepEqual(a.json.questions, b.json.questions, `${label}: ${qs}, month path against day path`);
    assert.deepEqual([a.json.responses, a.json.days], [b.json.responses, b.json.days], `${label}: ${qs}`);
  }
  for (const [from, to] of PERIODS) {
    const qs = [from && `from=${from}`, to && `to=${to}`].filter(Boolean).join('&');
    const a = (await admin.req('GET', `results/feedback?${qs}`)).json;
    const b = (await both.req('GET', `results/feedback?${qs}`)).json;
    const cards = Object.fromEntries(a.cards.map((c) => [c.id, c.counts]));
    assert.deepEqual(cards, rawCards(from, to), `${label}: ${qs}, cards of every kiosk against the raw feedback`);
    assert.deepEqual(a.cards, b.cards, `${label}: ${qs}, cards: month path against hour path`);
  }
}

// Every counted response's answers beside its row (what an export reads), as stored.
function answersBeside(file) {
  const r = spawnSync('sqlite3', [file, "SELECT count(*), sum(s.answers IS json_extract(r.payload, '$.answers') AND s.answers IS NOT NULL)" +
    " FROM sv_resp s JOIN response r ON r.uuid = s.uuid"], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [n, same] = r.stdout.trim().split('|').map(Number);
  assert.ok(n > 0 && same === n, `answers beside ${same} of ${n} rows`);
}

// The month table against the raw answers: responses per version, local month, option.
function monthTable(file) {
  const r = spawnSync('sqlite3', ['-json', file, "SELECT version, month, key, n FROM sv_cnt_month WHERE survey = '" + SURVEY_ID + "' AND qid = 'visits' ORDER BY 1, 2, 3"], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = {};
  for (const x of JSON.parse(r.stdout || '[]')) got[`${x.version} ${x.month} ${x.key}`] = x.n;
  const want = {};
  for (const [, { payload: p }] of rows) {
    const k = `${p.version} ${localDay(p.hour).slice(0, 7)} ${p.answers.visits}`;
    want[k] = (want[k] || 0) + 1;
  }
  assert.deepEqual(got, want);
}

before(async () => {
  dir = tmpdir('survroll-');
  db = path.join(dir, 'server.db');
  addUser(db, 'admin', 'administrator', PW);
  addUser(db, 'both', 'coordinator', PW, KIOSKS.join(','));
});

after(async () => { if (srv) await srv.stop(); });

async function open() {
  srv = await startServer(db);
  admin = new Client(srv.url);
  both = new Client(srv.url);
  assert.equal((await admin.login('admin', PW)).status, 200);
  assert.equal((await both.login('both', PW)).status, 200);
}

test('a period counts the same from months and edge days as from the days and the raw answers', async () => {
  await open();
  for (const s of [surveyV1(), surveyV2()])
    assert.equal((await admin.req('POST', 'docs/import?type=survey', JSON.stringify(s))).status, 200);
  for (const k of KIOSKS) tokens[k] = (await admin.req('POST', 'kiosks', { name: k })).json.token;
  await pushAll(srv.url, tokens, makeRows(0, 600));
  monthTable(db);
  await agree('as pushed');
  // A second push of the same rows changes nothing.
  await push(srv.url, tokens.lobby, rows.filter(([k]) => k === 'lobby').slice(0, 50).map(([, r]) => r));
  await agree('pushed twice');
  await srv.stop();
  srv = null;
});

test('an older database without the month counts is filled on upgrade and counts on', async () => {
  // What the previous version had: no month table, the trigger without it, no index of
  // hidden texts, module version 1; and results module version 3 (no card months, no
  // running workshops' index).
  const r0 = spawnSync('sqlite3', [db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'sv_count'"], { encoding: 'utf8' });
  assert.equal(r0.status, 0, r0.stderr);
  const noMonth = r0.stdout.trim().replace(/INSERT INTO sv_cnt_month\(.*?rsum = rsum \+ excluded\.rsum;/s, '');
  assert.ok(!noMonth.includes('sv_cnt_month') && noMonth.length < r0.stdout.length, 'the month insert found in the trigger');
  // nor the answers beside each response's row
  const ANS = ", json_extract(new.payload, '$.answers')";
  assert.ok(noMonth.includes(ANS), 'the answers found in the trigger');
  const old = noMonth.replace(ANS, '');
  const r = spawnSync('sqlite3', [db], { encoding: 'utf8', input: "DROP TABLE sv_cnt_month; DROP TRIGGER sv_count;" +
    " ALTER TABLE sv_resp DROP COLUMN answers; " + old +
    "; DROP INDEX sv_text_hidden; UPDATE meta SET value = '1' WHERE key = 'schema.server-survey-results';" +
    "DROP TABLE fb_card_month; DROP TRIGGER fb_card_month; DROP INDEX ws_first;" +
    "UPDATE meta SET value = '3' WHERE key = 'schema.server-results';" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(spawnSync('sqlite3', [db, "SELECT count(*) FROM sqlite_master WHERE name = 'sv_cnt_month'"], { encoding: 'utf8' }).stdout.trim(), '0');
  await open();
  monthTable(db);
  answersBeside(db);
  await agree('upgraded');
  // Answers stored after the upgrade are counted by the new trigger.
  await pushAll(srv.url, tokens, makeRows(1000, 200));
  monthTable(db);
  answersBeside(db);
  await agree('after the upgrade');
});
