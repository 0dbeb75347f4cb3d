// Paper ballots through the admin API against the real server: the role matrix, the
// kiosk's rule (picks, budget, known projects), a serial entered twice refused with 409
// naming the field, nothing stored on a refusal, and the tally and the pabulib export
// marking them as paper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tmpdir, serverDb, addUser, admin, startServer, Client } from './harness.mjs';

const PW = 'correct horse battery';
const ROLES = ['administrator', 'editor', 'coordinator', 'viewer'];
let dir, db, srv;
const as = {};

// Knapsack, budget 1000: a 300, b 400, c 500.
const BALLOT = {
  format: 'kiosk-ballot', version: 1, id: 'paper-vote',
  title: { fi: 'Paperiäänestys', en: 'Paper vote' }, eligibility: { fi: 'Kaikki' },
  opens: '2026-01-01', closes: '2099-12-31',
  rule: { type: 'knapsack', budget: 1000 },
  projects: [
    { id: 'a', title: { fi: 'A' }, cost: 300 },
    { id: 'b', title: { fi: 'B' }, cost: 400 },
    { id: 'c', title: { fi: 'C' }, cost: 500 },
  ],
};

before(async () => {
  dir = tmpdir();
  db = serverDb(dir);
  for (const r of ROLES) addUser(db, r, r, PW);
  srv = await startServer(db);
  for (const r of ROLES) {
    as[r] = new Client(srv.url);
    assert.equal((await as[r].login(r, PW)).status, 200);
  }
  const up = await as.administrator.req('POST', 'docs/import?type=ballot', JSON.stringify(BALLOT));
  assert.equal(up.status, 200, up.text);
});

after(async () => { await srv.stop(); });

const paper = (r, serial, picks) =>
  as[r].req('POST', 'ballots/paper-vote/paper', { serial, picks });

test('roles: administrators and coordinators enter paper ballots; everyone may read the ballot', async () => {
  for (const r of ROLES) {
    const get = await as[r].req('GET', 'ballots/paper-vote');
    assert.equal(get.status, 200, `${r}: ${get.text}`);
    assert.equal(get.json.version, 1);
    assert.deepEqual(get.json.ballot.projects.map((p) => p.id), ['a', 'b', 'c']);
    const res = await paper(r, 'role-' + r, ['a']);
    if (r === 'administrator' || r === 'coordinator') assert.equal(res.status, 201, `${r}: ${res.text}`);
    else {
      assert.equal(res.status, 403, `${r}: ${res.text}`);
      assert.match(res.json.error, new RegExp(`${r} role may not`));
    }
  }
  assert.equal((await as.viewer.req('GET', 'ballots/no-such')).status, 404);
});

test('the kiosk rule, a serial twice, and nothing stored on a refusal', async () => {
  let res = await paper('administrator', 'P-0001', ['a', 'b', 'c']);
  assert.equal(res.status, 400, 'over the budget');
  assert.equal(res.json.field, 'picks');
  assert.match(res.json.error, /breaks the rule \(1\.\.3 picks, within the budget/);
  res = await paper('administrator', 'P-0001', ['a', 'a']);
  assert.equal(res.status, 400);
  res = await paper('administrator', 'P-0001', ['zz']);
  assert.equal(res.status, 400);
  res = await paper('administrator', 'P-0001', []);
  assert.equal(res.status, 400, 'fewer than the minimum');
  res = await paper('administrator', 'bad serial!', ['a']);
  assert.equal(res.status, 400);
  assert.equal(res.json.field, 'serial');
  res = await as.administrator.req('POST', 'ballots/paper-vote/paper', { serial: 'P-0001', picks: 'a' });
  assert.equal(res.json.field, 'picks');
  // the refusals stored nothing: the serial is still free
  res = await paper('administrator', 'P-0001', ['a', 'b']);
  assert.equal(res.status, 201, res.text);
  res = await paper('coordinator', 'P-0001', ['c']);
  assert.equal(res.status, 409);
  assert.equal(res.json.field, 'serial');
  assert.match(res.json.error, /paper ballot "P-0001" was entered already for this ballot; nothing stored/);
  // another ballot may use the same serial; an unknown ballot is 404
  assert.equal((await paper('administrator', 'P-0002', ['c'])).status, 201);
  assert.equal((await as.administrator.req('POST', 'ballots/nope/paper', { serial: 'X', picks: ['a'] })).status, 404);
});

test('the audit log names who entered which paper, never its picks; the tally and export say paper', async () => {
  const audit = (await as.administrator.req('GET', 'audit?action=ballot.paper')).json;
  const rows = audit.entries;
  assert.ok(rows.some((e) => JSON.stringify(e).includes('paper ballot P-0001 entered')));
  assert.ok(!JSON.stringify(rows).includes('"a","b"'));
  const t = admin(db, 'ballot-tally', 'paper-vote');
  assert.equal(t.status, 0, t.stderr);
  // role-administrator, role-coordinator, P-0001, P-0002
  assert.match(t.stdout, /4 ballots counted \(0 with a code, 0 unlocked by staff, 4 on paper\), 0 invalid/);
  const csv = admin(db, 'ballot-tally', 'paper-vote', '--csv');
  assert.match(csv.stdout.split('\n')[0], /votes_paper/);
  const pb = admin(db, 'ballot-export-pb', 'paper-vote');
  assert.match(pb.stdout, /voter_id;vote;voting_method\n/);
  assert.equal(pb.stdout.split('\n').filter((l) => /^[^;]+;[a-c,]+;paper$/.test(l)).length, 4);
});

test('the count in the console: votes, winners and each reason in the chosen language; the key checked at its field', async () => {
  // role-administrator a, role-coordinator a, P-0001 a+b, P-0002 c: a 3 votes, b 1, c 1.
  let r = await as.coordinator.req('POST', 'ballots/paper-vote/tally', { lang: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ballot, 'paper-vote');
  assert.deepEqual([r.json.summary.ballots, r.json.summary.ballots_paper, r.json.summary.invalid], [4, 4, 0]);
  assert.deepEqual([r.json.summary.budget, r.json.summary.spent], [1000, 700]);
  const by = Object.fromEntries(r.json.projects.map((p) => [p.id, p]));
  assert.deepEqual([by.a.votes, by.b.votes, by.c.votes], [3, 1, 1]);
  assert.deepEqual([by.a.winner, by.b.winner, by.c.winner], [true, true, false]);
  assert.equal(by.a.votes_paper, 3);
  assert.match(by.c.why, /Did not fit: 300\u00a0€ left, costs 500\u00a0€/);
  assert.match(r.json.rule, /budget/i);
  assert.equal(r.json.key_used, false);
  const fi = await as.administrator.req('POST', 'ballots/paper-vote/tally', { lang: 'fi' });
  assert.equal(fi.status, 200, fi.text);
  const cfi = fi.json.projects.find((p) => p.id === 'c');
  assert.notEqual(cfi.why, by.c.why, 'the reason is in Finnish');
  assert.match(cfi.why, /500/);
  // a key that is not 64 hex digits is refused at its field and never echoed
  r = await as.administrator.req('POST', 'ballots/paper-vote/tally', { key: 'not-a-key-123' });
  assert.deepEqual([r.status, r.json.field], [400, 'key']);
  assert.ok(!r.text.includes('not-a-key-123'));
  r = await as.administrator.req('POST', 'ballots/paper-vote/tally', { lang: 'de' });
  assert.deepEqual([r.status, r.json.field], [400, 'lang']);
  assert.equal((await as.administrator.req('POST', 'ballots/nope/tally', {})).status, 404);
  for (const role of ['editor', 'viewer'])
    assert.equal((await as[role].req('POST', 'ballots/paper-vote/tally', {})).status, 403, role);
  const audit = (await as.administrator.req('GET', 'audit?action=ballot.tally')).json.entries;
  assert.ok(audit.some((e) => e.user === 'coordinator' && e.target === 'paper-vote'));
});

test('after opening a cost change is refused in words naming what may change; a text change is the next version', async () => {
  const dearer = { ...BALLOT, projects: BALLOT.projects.map((p) => (p.id === 'a' ? { ...p, cost: 350 } : p)) };
  let res = await as.coordinator.req('POST', 'docs/import?type=ballot', JSON.stringify(dearer));
  assert.equal(res.status, 400, res.text);
  assert.match(res.json.error, /voting opened on 2026-01-01; from then only texts may change \(titles, descriptions, eligibility, areas, images\), not the rule, projects or costs/);
  assert.equal((await as.viewer.req('GET', 'ballots/paper-vote')).json.version, 1, 'nothing stored');
  const retitled = { ...BALLOT, title: { fi: 'Paperiäänestys (korjattu)', en: 'Paper vote' } };
  res = await as.coordinator.req('POST', 'docs/import?type=ballot', JSON.stringify(retitled));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.version, 2);
  assert.equal(res.json.result, 'changed');
  const docs = (await as.viewer.req('GET', 'docs?type=ballot')).json.docs;
  assert.deepEqual(docs.map((d) => d.version).sort(), [1, 2], 'both versions kept');
  // paper entered after the change carries version 2 and still counts
  assert.equal((await paper('administrator', 'P-0003', ['c'])).status, 201);
  const t = admin(db, 'ballot-tally', 'paper-vote');
  assert.match(t.stdout, /5 ballots counted .* 5 on paper\), 0 invalid/);
});
