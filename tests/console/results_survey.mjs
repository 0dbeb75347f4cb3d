// Two versions of one survey and responses to both, for the survey results tests: the
// question "visits" changed between the versions (an option added), the others are
// the same, and version 2 asks one more question.
export const SURVEY_ID = 'library-poll';

const T = (fi, en) => ({ fi, en });
const base = [
  { id: 'visits', type: 'single', text: T('Kuinka usein käyt?', 'How often do you visit?'), options: [
    { id: 'weekly', text: T('Viikoittain', 'Weekly') }, { id: 'monthly', text: T('Kuukausittain', 'Monthly') },
    { id: 'rarely', text: T('Harvoin', 'Rarely') }] },
  { id: 'services', type: 'multi', text: T('Mitä käytät?', 'What do you use?'), options: [
    { id: 'books', text: T('Kirjoja', 'Books') }, { id: 'computers', text: T('Tietokoneita', 'Computers') },
    { id: 'events', text: T('Tapahtumia', 'Events') }] },
  { id: 'top', type: 'top', text: T('Tärkeimmät kaksi', 'The two most important'), pick: 2, ranked: true, options: [
    { id: 'a', text: T('Aukioloajat', 'Opening hours') }, { id: 'b', text: T('Kokoelmat', 'Collections') },
    { id: 'c', text: T('Tilat', 'Rooms') }, { id: 'd', text: T('Neuvonta', 'Advice') }] },
  { id: 'satisfaction', type: 'scale', text: T('Kuinka tyytyväinen olet?', 'How satisfied are you?'),
    low: T('En lainkaan', 'Not at all'), high: T('Erittäin', 'Very') },
  { id: 'age', type: 'number', text: T('Ikäsi', 'Your age'), min: 0, max: 120, unit: T('vuotta', 'years') },
  { id: 'comment', type: 'text', text: T('Terveiset kirjastolle', 'A word to the library'), max_chars: 300 },
];

export function surveyV1() {
  return { format: 'kiosk-survey', id: SURVEY_ID, version: 1, title: T('Kirjastokysely', 'Library poll'), questions: base };
}

export function surveyV2() {
  const q = structuredClone(base);
  q[0].options.unshift({ id: 'daily', text: T('Päivittäin', 'Daily') });
  q.push({ id: 'wish', type: 'text', text: T('Toiveesi', 'Your wish'), max_chars: 200 });
  return { format: 'kiosk-survey', id: SURVEY_ID, version: 2, title: T('Kirjastokysely 2027', 'Library poll 2027'), questions: q };
}

export const resp = (uuid, version, hour, answers) => ({ uuid, kind: 'survey-response',
  payload: { type: 'survey-response', survey: SURVEY_ID, version, hour, answers } });

// A program run to its end without blocking node's event loop (as spawnSync would):
// the test's keep-alive connections to the server then notice when the server closes
// them, instead of failing the next request after a slow kiosk run.
import { spawn } from 'node:child_process';
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    const timer = opts.timeout ? setTimeout(() => c.kill('SIGKILL'), opts.timeout) : null;
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (status) => { if (timer) clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}
