// One workshop question's result: its chart with the numbers in a table beside it, and
// free-text entries with their group; shared by the Workshops page (workshops.js) and
// its live screen for the room (workshop-live.js), so neither imports the other.
import { html } from './lib.js';
import { t, getLang } from './i18n.js';
import { BarChart } from './charts.js';

export const text = (o, fallback) => (o && (o[getLang()] || o.fi || o.sv || o.en)) || fallback;
export const num = (n, d = 0) => Number(n).toLocaleString({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[getLang()],
  { minimumFractionDigits: d, maximumFractionDigits: d });

// An option's label: its text, or for a scale step its number.
export const optLabel = (o) => text(o.text, o.id);

// One group's answer to question q as text: option labels, numbers or entries.
export function answerText(q, a) {
  if (a === undefined || a === null) return '–';
  const byId = (id) => { const o = q.options.find((x) => x.id === id); return o ? optLabel(o) : id; };
  if (Array.isArray(a)) return q.type === 'text' ? a.join(' · ') : a.map((id, i) => (q.type === 'top' ? `${i + 1}. ` : '') + byId(String(id))).join(', ');
  if (q.type === 'single') return byId(String(a));
  if (typeof a === 'number') return num(a, Number.isInteger(a) ? 0 : 1);
  return String(a);
}

export function QuestionResult({ q, n, big, groups = [] }) {
  const id = `wq-${n}`;
  const chartRows = q.options.map((o) => ({ label: optLabel(o), value: q.type === 'top' ? o.points : o.count }));
  const top = q.type === 'top';
  return html`<section class=${'result' + (big ? ' live-q' : '')} aria-labelledby=${id}>
    <h2 id=${id}>${n + 1}. ${text(q.text, q.id)}</h2>
    <p>${t('wsAnswered', num(q.answered))}${q.mean !== undefined ? ' · ' + t('wsMean', num(q.mean, 1)) : ''}</p>
    ${q.options.length > 0 && html`<div class="chart-pair">
      <${BarChart} label=${t('chartOfTable', text(q.text, q.id))} rows=${chartRows} total=${top ? 0 : q.answered} />
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby=${id + '-t'}>
        <table class="data"><caption id=${id + '-t'}>${text(q.text, q.id)}</caption>
          <thead><tr><th scope="col">${t('wsOption')}</th><th scope="col" class="num">${t('count')}</th>
            <th scope="col" class="num">${t('share')}</th>${top && html`<th scope="col" class="num">${t('wsPoints')}</th>`}
            <th scope="col" class="num">${t('tallyRank')}</th></tr></thead>
          <tbody>${q.options.map((o) => html`<tr data-option=${o.id}><th scope="row">${optLabel(o)}</th>
            <td class="num">${num(o.count)}</td><td class="num">${num(o.percent)} %</td>
            ${top && html`<td class="num">${num(o.points)}</td>`}<td class="num">${o.rank}</td></tr>`)}</tbody>
        </table></div></div>`}
    ${q.type === 'text' && html`<ul class="entries">${groups.flatMap((g) => (Array.isArray(g.answers[q.id]) ? g.answers[q.id] : [])
      .map((e) => html`<li>${e} <span class="hint">(${text(g.name, g.id)})</span></li>`))}</ul>`}
  </section>`;
}
