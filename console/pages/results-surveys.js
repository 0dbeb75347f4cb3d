// Survey results: pick a survey, filter by period, kiosk and version, and see per
// question the summary its type calls for (choices as bars, a scale with its median,
// a ranking as average rank and first places, numbers as a distribution, free text as
// a list a coordinator may hide answers in), with the responses per day.  Answers of
// every version are together where the question is the same, apart where it changed.
// Each chart has its numbers in a table next to it.
import { html, Component } from '../lib.js';
import { Downloads } from '../downloads.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { BarChart, TrendChart } from '../charts.js';

const LOCALE = () => ({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[getLang()]);
const fmt = (v, d = 2) => (v === undefined || v === null ? '–'
  : Number(v).toLocaleString(LOCALE(), { maximumFractionDigits: d }));
const pct = (v, total) => (total ? `${Math.round((v / total) * 100)} %` : '–');
const tx = (o) => (o ? (o[getLang()] || o.fi || o.sv || o.en || '') : '');
const list = (vs) => vs.join(', ');

function Table({ id, caption, heads, rows }) {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby=${id}>
    <table class="data"><caption id=${id}>${caption}</caption>
      <thead><tr>${heads.map((h, i) => html`<th scope="col" class=${i ? 'num' : ''}>${h}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr><th scope="row">${r[0]}</th>${r.slice(1).map((v) => html`<td class="num">${v}</td>`)}</tr>`)}</tbody>
    </table></div>`;
}

// One question's chart and table, by its type.
function Summary({ q, id, title }) {
  const label = t('chartOfTable', title);
  if (q.type === 'single' || q.type === 'multi' || q.type === 'top') {
    const ranked = q.type === 'top' && q.ranked;
    const heads = [t('svOption'), t('count'), t('share')].concat(ranked ? [t('svFirst'), t('svAvgRank')] : []);
    return html`<div class="chart-pair">
      <${BarChart} label=${label} total=${q.answered} rows=${q.options.map((o) => ({ label: tx(o.text), value: o.count }))} />
      <${Table} id=${id} caption=${title} heads=${heads}
        rows=${q.options.map((o) => [tx(o.text), o.count, pct(o.count, q.answered)].concat(ranked ? [o.first, fmt(o.average_rank)] : []))} />
    </div>${ranked && html`<p class="hint">${t('svRankHint')}</p>`}`;
  }
  if (q.type === 'scale') {
    const step = (s) => String(s.value) + (s.value === 1 && q.low ? ` (${tx(q.low)})` : s.value === 5 && q.high ? ` (${tx(q.high)})` : '');
    return html`<div class="chart-pair">
      <${BarChart} label=${label} total=${q.answered} rows=${q.steps.map((s) => ({ label: step(s), value: s.count }))} />
      <${Table} id=${id} caption=${title} heads=${[t('svStep'), t('count'), t('share')]}
        rows=${q.steps.map((s) => [step(s), s.count, pct(s.count, q.answered)])} />
    </div>
    <p class="figures">${t('svMedian')}: <strong>${fmt(q.median, 1)}</strong>, ${t('svMean')}: <strong>${fmt(q.mean, 2)}</strong></p>`;
  }
  if (q.type === 'number') {
    const unit = q.unit ? ' ' + tx(q.unit) : '';
    const range = (b) => (b.from === b.to ? fmt(b.from, q.decimals) : `${fmt(b.from, 2)}–${fmt(b.to, 2)}`);
    return html`<div class="chart-pair">
      <${BarChart} label=${label} total=${q.answered} rows=${q.bins.map((b) => ({ label: range(b), value: b.count }))} />
      <${Table} id=${id} caption=${title} heads=${[t('svRange') + unit, t('count'), t('share')]}
        rows=${q.bins.map((b) => [range(b), b.count, pct(b.count, q.answered)])} />
    </div>
    ${q.answered > 0 && html`<p class="figures">${t('svMedian')}: <strong>${fmt(q.median)}${unit}</strong>,${' '}${t('svMean')}: <strong>${fmt(q.mean)}${unit}</strong>, ${t('svMin')}: ${fmt(q.min)}${unit}, ${t('svMax')}: ${fmt(q.max)}${unit}</p>`}`;
  }
  return null;
}

export class SurveyResultsPage extends Component {
  state = { surveys: null, kiosks: [], survey: '', from: '', to: '', kiosk: '', version: '', data: null,
    texts: {}, errors: [], notice: '' };

  componentDidMount() {
    get('kiosks').then((r) => this.setState({ kiosks: r.kiosks.map((k) => k.name) })).catch((err) => this.fail(err));
    get('results/surveys').then((r) => {
      const survey = r.surveys.length ? r.surveys[0].id : '';
      this.setState({ surveys: r.surveys, survey }, () => survey && this.load());
    }).catch((err) => this.fail(err));
  }

  fail(err) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, { from: 's-from', to: 's-to', kiosk: 's-kiosk', version: 's-version' }) });
  }

  query(extra = {}) {
    const q = new URLSearchParams();
    for (const k of ['from', 'to', 'kiosk', 'version']) if (this.state[k]) q.set(k, this.state[k]);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  path() { return 'results/surveys/' + encodeURIComponent(this.state.survey); }

  async load() {
    try {
      const data = await get(this.path() + '?' + this.query());
      const texts = {};
      data.questions.forEach((q, i) => { if (q.type === 'text') texts[i] = { rows: q.texts, next: q.next_before || '' }; });
      this.setState({ data, texts, errors: [] });
    } catch (err) { this.fail(err); }
  }

  async more(i, q) {
    try {
      const cur = this.state.texts[i];
      const r = await get(this.path() + '/texts?' + this.query({ question: q.id, versions: list(q.versions), before: cur.next, limit: '50' }));
      this.setState({ texts: { ...this.state.texts, [i]: { rows: cur.rows.concat(r.texts), next: r.next_before || '' } } });
    } catch (err) { this.fail(err); }
  }

  async hide(i, q, row) {
    if (!window.confirm(t('svHideConfirm'))) return;
    try {
      await post(this.path() + '/texts/hide', { uuid: row.uuid, question: q.id });
      const n = Math.max(10, this.state.texts[i].rows.length);
      const r = await get(this.path() + '/texts?' + this.query({ question: q.id, versions: list(q.versions), limit: String(n) }));
      this.setState({ notice: t('svHidden'), texts: { ...this.state.texts, [i]: { rows: r.texts, next: r.next_before || '' } } });
    } catch (err) { this.fail(err); }
  }

  texts(i, q, canHide) {
    const cur = this.state.texts[i] || { rows: [], next: '' };
    if (!cur.rows.length) return html`<p>${t('svNoTexts')}</p>`;
    return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby=${'qt-' + i}>
      <table class="data texts"><caption id=${'qt-' + i}>${t('svTexts')}</caption>
        <thead><tr><th scope="col">${t('hour')}</th><th scope="col">${t('kiosk')}</th><th scope="col">${t('svVersion')}</th>
          <th scope="col">${t('svAnswer')}</th>${canHide && html`<th scope="col">${t('actions')}</th>`}</tr></thead>
        <tbody>${cur.rows.map((r) => html`<tr data-uuid=${r.uuid}>
          <td>${r.local}</td><td>${r.kiosk}</td><td>${r.version}</td>
          <td class="answer">${r.hidden ? html`<em>${t('hiddenBy', r.hidden.by)}</em>` : r.text}</td>
          ${canHide && html`<td>${!r.hidden && r.entry === 0 && html`<button type="button" onClick=${() => this.hide(i, q, r)}
            aria-label=${t('svHideOf', r.local, r.kiosk)}>${t('hide')}</button>`}</td>`}
        </tr>`)}</tbody>
      </table></div>
      ${cur.next && html`<p><button type="button" onClick=${() => this.more(i, q)}>${t('older')}</button></p>`}`;
  }

  render({ user }, { surveys, kiosks, survey, from, to, kiosk, version, data, errors, notice }) {
    const canHide = user.role === 'administrator' || user.role === 'coordinator';
    const chosen = surveys && surveys.find((s) => s.id === survey);
    return html`<h1 tabindex="-1">${t('surveyResults')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${surveys !== null && surveys.length === 0 && html`<p>${t('svNone')}</p>`}
      ${surveys !== null && surveys.length > 0 && html`<form class="filters" onSubmit=${(e) => { e.preventDefault(); this.load(); }}>
        <div class="field"><label for="s-survey">${t('svPick')}</label>
          <select id="s-survey" value=${survey} onChange=${(e) => this.setState({ survey: e.target.value, version: '' })}>
            ${surveys.map((s) => html`<option value=${s.id}>${tx(s.title) || s.id} (${t('svResponses', String(s.responses))})</option>`)}
          </select></div>
        <div class="field"><label for="s-from">${t('periodFrom')}</label>
          <input id="s-from" type="date" value=${from} onInput=${(e) => this.setState({ from: e.target.value })} /></div>
        <div class="field"><label for="s-to">${t('periodTo')}</label>
          <input id="s-to" type="date" value=${to} onInput=${(e) => this.setState({ to: e.target.value })} /></div>
        <div class="field"><label for="s-kiosk">${t('kiosk')}</label>
          <select id="s-kiosk" value=${kiosk} onChange=${(e) => this.setState({ kiosk: e.target.value })}>
            <option value="">${t('allKiosks')}</option>
            ${kiosks.map((k) => html`<option value=${k}>${k}</option>`)}
          </select></div>
        <div class="field"><label for="s-version">${t('svVersion')}</label>
          <select id="s-version" value=${version} onChange=${(e) => this.setState({ version: e.target.value })}>
            <option value="">${t('svAllVersions')}</option>
            ${(chosen ? chosen.versions : []).map((v) => html`<option value=${String(v.version)}>${t('svVersionN', String(v.version))}</option>`)}
          </select></div>
        <button type="submit">${t('show')}</button>
      </form>`}
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${data && html`<${Downloads} onExpired=${this.props.onExpired} intro=${t('svDownload')} items=${[['csv', 'CSV'], ['xlsx', 'Excel (.xlsx)'], ['json', 'JSON']].map(([f, label]) => ({
          format: f, label, aria: t('svDownloadAs', label), href: '/v1/admin/' + this.path() + '/export?' + this.query({ format: f, lang: getLang() }) }))} />
      <h2 class="survey-title">${tx(data.title)}</h2>
      <p class="big-number" id="sv-total">${t('svTotal', String(data.responses))}</p>
      <section class="result"><h2 id="s-days">${t('svPerDay')}</h2>
        <div class="chart-stack">
          <${TrendChart} label=${t('chartOfTable', t('svPerDay'))} points=${data.days.map((d) => ({ label: d.day.slice(5), value: d.count }))} />
          ${data.days.length ? html`<${Table} id="t-days" caption=${t('svPerDay')} heads=${[t('svDay'), t('count')]}
            rows=${data.days.map((d) => [d.day, d.count])} />` : html`<p>${t('svNoResponses')}</p>`}
          <${Table} id="t-versions" caption=${t('svByVersion')} heads=${[t('svVersion'), t('count')]}
            rows=${data.versions.map((v) => [String(v.version), v.responses])} />
        </div>
      </section>
      ${data.questions.map((q, i) => {
        // A question asked two ways is shown twice: its versions tell the two apart.
        const title = (tx(q.text) || q.id) + (q.changed ? ` (${t(q.versions.length > 1 ? 'svVersionsN' : 'svVersionN', list(q.versions))})` : '');
        return html`<section class="result question" data-question=${q.id} data-versions=${list(q.versions)}>
          <h2 id=${'qh-' + i}>${title}</h2>
          <p class="hint">${q.changed ? t('svChanged', list(q.versions)) : t('svAskedIn', list(q.versions))}
            ${q.answered !== undefined && ' ' + t('svAnswered', String(q.answered))}</p>
          ${q.type === 'text' ? this.texts(i, q, canHide) : html`<${Summary} q=${q} id=${'qs-' + i} title=${title} />`}
        </section>`;
      })}`}`;
  }
}
