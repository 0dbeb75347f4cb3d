// `make bench`, results part: 1 000 000 stored responses, 800 000 quick feedback from 40
// kiosks (a year, opening hours, 15 % from cards, 10 % with a comment) and 200 000
// responses to one survey in two versions (six question types, a changed question),
// then the results API timed as the console calls it, and exports of every response.
// Targets (issue 14): each results call p95 < 200 ms, the heat map < 500 ms, exports
// at least 50 000 rows/s with the server's memory flat.
// Storing: the first PUSHED of each kind go through POST /v1/responses as kiosks send
// them (their rate is reported); the rest are inserted with the server stopped, by
// python3's sqlite3 (the same libsqlite3), with the very statement the server's push
// runs (INSERT OR IGNORE INTO response), so the same triggers keep the same counts.
// Usage: node bench/results.mjs KIOSK-SERVER OUTDIR [RESPONSES [SURVEY-RESPONSES]]
// BENCH_DB=postgresql://… runs it on an empty PostgreSQL database instead of a file in
// OUTDIR; with BENCH_PUSHED at least the counts every row goes through the push
// (BENCH_REUSE=1: the database holds them from an earlier run).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const [server, out, count, svCount] = process.argv.slice(2);
const N = Number(count || process.env.BENCH_RESPONSES || 800000);
const NS = Number(svCount || process.env.BENCH_SURVEY_RESPONSES || 200000);
const PUSHED = Number(process.env.BENCH_PUSHED || 20000);
const REQS = Number(process.env.BENCH_REQUESTS || 50);  // calls of each results request
process.env.KIOSK_SERVER = server;
process.env.TZ = 'Europe/Helsinki';
const { addUser, startServer, Client } = await import('../tests/console/harness.mjs');

const PW = 'bench password 1';
const KIOSKS = 40, BATCH = 1000;
const db = process.env.BENCH_DB || path.join(out, 'results-bench.db');
const isFile = !db.includes('://');
if (!isFile && (N > PUSHED || NS > PUSHED)) throw new Error('on PostgreSQL every row is pushed: set BENCH_PUSHED');
// The stored responses are kept for the next run while the server binary is older; on
// PostgreSQL when BENCH_REUSE=1 says the database holds an earlier run's.
const kept = isFile ? fs.existsSync(db) && fs.statSync(server).mtimeMs < fs.statSync(db).mtimeMs
  : process.env.BENCH_REUSE === '1';
const stats = kept ? spawnSync(server, ['--db', db, 'admin', 'stats'], { encoding: 'utf8' }).stdout : '';
const reuse = new RegExp(`^responses ${N + NS}$`, 'm').test(stats);
if (!reuse) {
  if (isFile) for (const f of [db, db + '-wal', db + '-shm']) fs.rmSync(f, { force: true });
  addUser(db, 'bench', 'administrator', PW);
  addUser(db, 'coord', 'coordinator', PW, 'kiosk-07');
}
// The server's CPU time in seconds (user + system): the machine is shared, so the
// figures say what a request costs as well as how long it took.
const cpu = (pid) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0) / 100;
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// A small deterministic generator (xorshift), so every run stores the same rows.
let seed = 42;
const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
const hex = (n, w) => n.toString(16).padStart(w, '0');
const start = Date.UTC(2025, 11, 1);

// Response i of each kind, as a kiosk would push it.
function feedbackRow(i) {
  const day = Math.floor(rnd() * 365), hour = 5 + Math.floor(rnd() * 14);
  const when = new Date(start + day * 86400000 + hour * 3600000).toISOString().slice(0, 13) + 'Z';
  const score = 1 + Math.min(4, Math.floor(rnd() * rnd() * 5 + rnd() * 2.5));
  const p = { type: 'feedback', hour: when, score, context: rnd() < 0.15 ? `i-${Math.floor(rnd() * 2000)}` : 'home' };
  if (rnd() < 0.1) p.comment = `Palaute numero ${i}: ${score > 3 ? 'kiitos, hyvä palvelu' : 'jonot olivat pitkät'}`;
  return { uuid: `${hex(i, 8)}-0000-4000-8000-${hex(Math.floor(rnd() * 2 ** 32), 12)}`, kind: 'feedback', payload: p };
}
const pick = (ids, n) => { const a = ids.slice(); const o = []; while (o.length < n) o.push(a.splice(Math.floor(rnd() * a.length), 1)[0]); return o; };
function surveyRow(i) {
  const day = Math.floor(rnd() * 365), hour = 5 + Math.floor(rnd() * 14), version = day < 180 ? 1 : 2;
  const when = new Date(start + day * 86400000 + hour * 3600000).toISOString().slice(0, 13) + 'Z';
  const a = { visits: pick(version === 1 ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c', 'd', 'e'], 1)[0],
    services: pick(['a', 'b', 'c', 'd', 'e', 'f'], 1 + Math.floor(rnd() * 3)).sort(),
    top: pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 3),
    satisfaction: 1 + Math.min(4, Math.floor(rnd() * rnd() * 5 + rnd() * 2.5)), age: 15 + Math.floor(rnd() * 70) };
  if (rnd() < 0.2) a.comment = `Vastaus ${i}: ${a.satisfaction > 3 ? 'kiitos' : 'aukioloajat lyhyet'}`;
  return { uuid: `${hex(i, 8)}-0000-4000-9000-${hex(Math.floor(rnd() * 2 ** 32), 12)}`, kind: 'survey-response',
    payload: { type: 'survey-response', survey: 'bench-poll', version, hour: when, answers: a } };
}
// Rows [b, e) go from kiosk (b / BATCH) % KIOSKS in batches of BATCH.
const kioskOf = (i) => Math.floor(i / BATCH) % KIOSKS;

// Two kiosks push at once (the machine has two cores); a busy server asks to retry
// (503 with Retry-After), as kiosks do.
async function pushRange(srv, tokens, make, n) {
  let next = 0;
  async function pusher() {
    for (;;) {
      const b = next;
      next += BATCH;
      if (b >= n) return;
      const rows = [];
      for (let i = b; i < Math.min(n, b + BATCH); i++) rows.push(make(i));
      for (;;) {
        const r = await fetch(srv.url + '/v1/responses', { method: 'POST',
          headers: { Authorization: 'Bearer ' + tokens[kioskOf(b)], 'Content-Type': 'application/json' },
          body: JSON.stringify({ responses: rows }) });
        const j = await r.json();
        if (r.status === 503) { await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') || 1))); continue; }
        if (r.status !== 200 || j.stored !== rows.length) throw new Error('push: ' + r.status + ' ' + JSON.stringify(j).slice(0, 200));
        break;
      }
    }
  }
  await Promise.all([pusher(), pusher()]);
}

// Rows [from, n) straight into the stopped server's database: one transaction per
// 50 000 rows, the push's own INSERT, so the response table's triggers run as on a push.
const LOADER = `
import resource, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA busy_timeout = 10000")
dev = dict(db.execute("SELECT name, id FROM device"))
n = 0
batch = []
def flush():
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT OR IGNORE INTO response(uuid, device, kind, payload) VALUES(?1, ?2, ?3, ?4)", batch)
    db.execute("COMMIT")
    batch.clear()
for line in sys.stdin:
    k, u, kind, p = line.rstrip("\\n").split("\\t", 3)
    batch.append((u, dev[k], kind, p))
    n += 1
    if len(batch) >= 50000:
        flush()
if batch:
    flush()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
r = resource.getrusage(resource.RUSAGE_SELF)
print(n, r.ru_utime + r.ru_stime)
`;
async function insertRange(make, from, n) {
  const py = spawn('python3', ['-c', LOADER, db], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  let outText = '';
  py.stdout.on('data', (d) => { outText += d; });
  const done = new Promise((res) => py.on('close', res));
  let chunk = '';
  for (let i = from; i < n; i++) {
    const r = make(i);
    chunk += `kiosk-${String(kioskOf(i)).padStart(2, '0')}\t${r.uuid}\t${r.kind}\t${JSON.stringify(r.payload)}\n`;
    if (chunk.length > 1 << 20) {
      if (!py.stdin.write(chunk)) await new Promise((res) => py.stdin.once('drain', res));
      chunk = '';
    }
  }
  py.stdin.end(chunk);
  const status = await done;
  const [rows, secs] = outText.trim().split(' ').map(Number);
  if (status !== 0 || rows !== n - from) throw new Error(`insert: status ${status}, ${outText}`);
  return secs;
}

// p50, p95 and max of REQS calls of each, with the server's CPU per call.
async function timeCalls(srv, calls, target = 200) {
  for (const [name, client, p, limit = target] of calls) {
    const times = [];
    const c0 = cpu(srv.child.pid);
    for (let i = 0; i < REQS; i++) {
      const t = process.hrtime.bigint();
      const res = await client.req('GET', p);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(p + ': ' + res.status + ' ' + res.text);
    }
    times.sort((a, b) => a - b);
    const q = (f) => times[Math.min(times.length - 1, Math.floor(f * times.length))].toFixed(1);
    const per = ((cpu(srv.child.pid) - c0) * 1000 / REQS).toFixed(0);
    console.log(`  ${name.padEnd(44)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${q(1)} ms  server CPU ${per} ms/request${Number(q(0.95)) < limit ? '' : '  OVER ' + limit}`);
  }
}

// Exports of every row the path selects, RUNS times (this machine's speed varies by a
// fifth from run to run): rows per second of each and their median, which the target
// is checked on, and the server's resident memory sampled while they stream (target:
// 50 000 rows/s, memory flat).
const RUNS = Number(process.env.BENCH_EXPORT_RUNS || 3);
async function timeExport(srv, c, base, format, rows) {
  const before = rss(srv.child.pid);
  let peak = before, bytes = 0, used = 0;
  const rates = [];
  const timer = setInterval(() => { peak = Math.max(peak, rss(srv.child.pid)); }, 50);
  for (let i = 0; i < RUNS; i++) {
    const t = Date.now(), c0 = cpu(srv.child.pid);
    const r = await fetch(srv.url + base + 'format=' + format, { headers: { Cookie: c.cookie } });
    let lines = 0;
    bytes = 0;
    for await (const chunk of r.body) {
      bytes += chunk.length;
      if (format === 'csv') for (const b of chunk) if (b === 10) lines++;
    }
    if (r.status !== 200) throw new Error('export ' + format + ': ' + r.status);
    if (format === 'csv' && lines !== rows + 1) throw new Error(`csv export: ${lines} lines`);
    rates.push(rows / ((Date.now() - t) / 1000));
    used += cpu(srv.child.pid) - c0;
  }
  clearInterval(timer);
  const after = rss(srv.child.pid);
  const sorted = [...rates].sort((x, y) => x - y), median = sorted[(RUNS - 1) >> 1];
  console.log(`  export ${format.padEnd(4)} ${rows} rows: median ${Math.round(median)} rows/s (runs ${rates.map(Math.round).join(', ')}), ` +
    `${(bytes / 1048576).toFixed(0)} MB, server CPU ${(used / RUNS).toFixed(1)} s each (${Math.round(rows * RUNS / used)} rows per CPU second); server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB` +
    `${median >= 50000 ? '' : '  UNDER 50 000 rows/s'}`);
}

// Two versions of one survey (the first question gets an option in version 2).
const T = (fi) => ({ fi, en: fi });
const opt = (ids) => ids.map((id) => ({ id, text: T('Vaihtoehto ' + id) }));
function benchSurvey(version) {
  return { format: 'kiosk-survey', id: 'bench-poll', version, title: T('Kysely ' + version), questions: [
    { id: 'visits', type: 'single', text: T('Kuinka usein?'), options: opt(version === 1 ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c', 'd', 'e']) },
    { id: 'services', type: 'multi', text: T('Mitä käytät?'), options: opt(['a', 'b', 'c', 'd', 'e', 'f']) },
    { id: 'top', type: 'top', text: T('Kolme tärkeintä'), pick: 3, ranked: true, options: opt(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) },
    { id: 'satisfaction', type: 'scale', text: T('Tyytyväisyys') },
    { id: 'age', type: 'number', text: T('Ikä'), min: 0, max: 120 },
    { id: 'comment', type: 'text', text: T('Terveiset'), max_chars: 300 },
  ] };
}

// An export must be taken within --body-timeout (60 s by default): on a shared machine a
// million rows may take longer.
const ARGS = ['--threads', '4', '--body-timeout', '600'];
console.log(`load ${load()} (1, 5, 15 min), ${(await import('node:os')).cpus().length} cores`);
if (!reuse) {
  const srv = await startServer(db, ARGS);
  try {
    const c = new Client(srv.url);
    await c.login('bench', PW);
    for (const v of [1, 2]) {
      const r = await c.req('POST', 'docs/import?type=survey', JSON.stringify(benchSurvey(v)));
      if (r.status !== 200) throw new Error('survey import: ' + r.text);
    }
    const tokens = [];
    for (let k = 0; k < KIOSKS; k++)
      tokens.push((await c.req('POST', 'kiosks', { name: `kiosk-${String(k).padStart(2, '0')}` })).json.token);
    for (const [what, make, n] of [['feedback', feedbackRow, Math.min(N, PUSHED)], ['survey', surveyRow, Math.min(NS, PUSHED)]]) {
      const t0 = Date.now(), c0 = cpu(srv.child.pid);
      await pushRange(srv, tokens, make, n);
      const took = (Date.now() - t0) / 1000, used = cpu(srv.child.pid) - c0;
      console.log(`pushed ${n} ${what} responses over POST /v1/responses (${BATCH} a batch, 2 at once): ${took.toFixed(1)} s, ` +
        `${Math.round(n / took)} /s, server CPU ${used.toFixed(1)} s (${Math.round(n / used)} per CPU second); load ${load()}`);
    }
  } finally {
    await srv.stop();
  }
  for (const [what, make, n] of [['feedback', feedbackRow, N], ['survey', surveyRow, NS]]) {
    if (n <= PUSHED) continue;
    const t0 = Date.now();
    const used = await insertRange(make, PUSHED, n);
    const took = (Date.now() - t0) / 1000;
    console.log(`inserted ${n - PUSHED} more ${what} responses with the push's INSERT (triggers counting): ${took.toFixed(1)} s, ` +
      `${Math.round((n - PUSHED) / took)} /s, CPU ${used.toFixed(1)} s (${Math.round((n - PUSHED) / used)} per CPU second); load ${load()}`);
  }
  if (isFile) console.log(`database ${(fs.statSync(db).size / 1048576).toFixed(0)} MB`);
}

const srv = await startServer(db, ARGS);
try {
  const c = new Client(srv.url);
  await c.login('bench', PW);
  const coord = new Client(srv.url);
  await coord.login('coord', PW);
  if (reuse) console.log(`${N} feedback and ${NS} survey responses stored by an earlier run (${db})`);
  const first = (await c.req('GET', 'results/feedback/comments?limit=200')).json.next_before;
  console.log(`feedback results API, ${N} feedback responses, ${REQS} requests each (target p95 < 200 ms; the overview holds the heat map: < 500 ms), load ${load()}:`);
  await timeCalls(srv, [
    ['feedback, the whole year (heat map, kiosks, cards, trend)', c, 'results/feedback', 500],
    ['feedback, the whole year as a period', c, 'results/feedback?from=2025-12-01&to=2026-11-30', 500],
    ['feedback, one month', c, 'results/feedback?from=2026-06-01&to=2026-06-30', 500],
    ['feedback, one kiosk, the year', c, 'results/feedback?kiosk=kiosk-12', 500],
    ['feedback as a coordinator of one kiosk', coord, 'results/feedback', 500],
    ['comments, newest 50', c, 'results/feedback/comments'],
    // (with fewer than 200 comments there is no second page)
    ...(first ? [['comments, 50 after 200', c, `results/feedback/comments?before=${first}`]] : []),
    ['comments, one kiosk, one month', c, 'results/feedback/comments?kiosk=kiosk-12&from=2026-06-01&to=2026-06-30'],
    ['comments as a coordinator of one kiosk', coord, 'results/feedback/comments'],
  ]);
  console.log(`server RSS after the calls: ${rss(srv.child.pid).toFixed(0)} MB`);
  for (const format of ['csv', 'json', 'xlsx'])
    await timeExport(srv, c, '/v1/admin/results/feedback/export?', format, N);

  const S = 'results/surveys/bench-poll';
  const sfirst = (await c.req('GET', S + '/texts?question=comment&limit=200')).json.next_before;
  console.log(`survey results API, ${NS} survey responses (${N + NS} in all), ${REQS} requests each (target p95 < 200 ms), load ${load()}:`);
  await timeCalls(srv, [
    ['survey list', c, 'results/surveys'],
    ['survey, all versions, the whole year', c, S],
    ['survey, one month', c, S + '?from=2026-06-01&to=2026-06-30'],
    ['survey, the whole year as a period', c, S + '?from=2025-12-01&to=2026-11-30'],
    ['survey, a period from mid-month to mid-month', c, S + '?from=2026-01-15&to=2026-10-14'],
    ['survey, one kiosk, the year', c, S + '?kiosk=kiosk-12'],
    ['survey, one version', c, S + '?version=2'],
    ['survey as a coordinator of one kiosk', coord, S],
    ...(sfirst ? [['survey texts, 50 after 200', c, S + `/texts?question=comment&versions=1,2&before=${sfirst}`]] : []),
  ]);
  console.log(`server RSS after the calls: ${rss(srv.child.pid).toFixed(0)} MB`);
  for (const format of ['csv', 'json', 'xlsx'])
    await timeExport(srv, c, `/v1/admin/${S}/export?`, format, NS);
  console.log(`load ${load()}`);
} finally {
  await srv.stop();
}
