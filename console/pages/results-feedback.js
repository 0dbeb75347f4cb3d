// Quick feedback results: faces over a chosen period, hour of day x weekday, by
// kiosk, by card, the weekly trend, and the comments (which a coordinator may hide).
// Each chart has its numbers in a table next to it.
import { html, Component } from '../lib.js';
import { Downloads } from '../downloads.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { BarChart, TrendChart, HeatMap, FACE_COLOURS } from '../charts.js';

const FACES = [1, 2, 3, 4, 5];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const sumOf = (c) => c.reduce((a, b) => a + b, 0);
const pct = (v, total) => (total ? `${Math.round((v / total) * 100)} %` : '–');
// The mean face (1-5) with one decimal, in the page's language.
function mean(c) {
  const n = sumOf(c);
  if (!n) return '–';
  const m = c.reduce((a, v, i) => a + v * (i + 1), 0) / n;
  return m.toLocaleString({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[getLang()], { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function Section({ id, title, children }) {
  return html`<section class="result"><h2 id=${id}>${title}</h2>${children}</section>`;
}

// One table of face counts per row: label, the five faces, total, mean.
function FaceTable({ id, caption, first, rows }) {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby=${id}>
    <table class="data"><caption id=${id}>${caption}</caption>
      <thead><tr><th scope="col">${first}</th>${FACES.map((f) => html`<th scope="col" class="num">${t('face' + f)}</th>`)}
        <th scope="col" class="num">${t('total')}</th><th scope="col" class="num">${t('meanFace')}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th>${r.counts.map((v) => html`<td class="num">${v}</td>`)}
        <td class="num">${sumOf(r.counts)}</td><td class="num">${mean(r.counts)}</td></tr>`)}</tbody>
    </table></div>`;
}

export class FeedbackResultsPage extends Component {
  state = { kiosks: [], from: '', to: '', kiosk: '', data: null, comments: null, next: '', errors: [], notice: '' };

  componentDidMount() {
    get('kiosks').then((r) => this.setState({ kiosks: r.kiosks.map((k) => k.name) })).catch((err) => this.fail(err));
    this.load();
  }

  fail(err) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, { from: 'r-from', to: 'r-to', kiosk: 'r-kiosk' }) });
  }

  query(extra = {}) {
    const q = new URLSearchParams();
    for (const k of ['from', 'to', 'kiosk']) if (this.state[k]) q.set(k, this.state[k]);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  async load() {
    try {
      const [data, c] = await Promise.all([get('results/feedback?' + this.query()),
        get('results/feedback/comments?' + this.query({ limit: '50' }))]);
      this.setState({ data, comments: c.comments, next: c.next_before || '', errors: [] });
    } catch (err) { this.fail(err); }
  }

  async more() {
    try {
      const c = await get('results/feedback/comments?' + this.query({ limit: '50', before: this.state.next }));
      this.setState({ comments: this.state.comments.concat(c.comments), next: c.next_before || '' });
    } catch (err) { this.fail(err); }
  }

  async hide(uuid) {
    if (!window.confirm(t('hideConfirm'))) return;
    try {
      await post(`results/feedback/comments/${encodeURIComponent(uuid)}/hide`);
      this.setState({ notice: t('commentHidden') });
      const c = await get('results/feedback/comments?' + this.query({ limit: String(Math.max(50, this.state.comments.length)) }));
      this.setState({ comments: c.comments, next: c.next_before || '' });
    } catch (err) { this.fail(err); }
  }

  cardName(c) {
    return c.names ? (c.names[getLang()] || c.names.fi || c.names.sv || c.names.en || c.id) : c.id;
  }

  render({ user }, { kiosks, from, to, kiosk, data, comments, next, errors, notice }) {
    const canHide = user.role === 'administrator' || user.role === 'coordinator';
    const days = DAYS.map((d) => t('day_' + d));
    return html`<h1 tabindex="-1">${t('feedbackResults')}</h1>
      <${ErrorSummary} errors=${errors} />
      <form class="filters" onSubmit=${(e) => { e.preventDefault(); this.load(); }}>
        <div class="field"><label for="r-from">${t('periodFrom')}</label>
          <input id="r-from" type="date" value=${from} onInput=${(e) => this.setState({ from: e.target.value })} /></div>
        <div class="field"><label for="r-to">${t('periodTo')}</label>
          <input id="r-to" type="date" value=${to} onInput=${(e) => this.setState({ to: e.target.value })} /></div>
        <div class="field"><label for="r-kiosk">${t('kiosk')}</label>
          <select id="r-kiosk" value=${kiosk} onChange=${(e) => this.setState({ kiosk: e.target.value })}>
            <option value="">${t('allKiosks')}</option>
            ${kiosks.map((k) => html`<option value=${k}>${k}</option>`)}
          </select></div>
        <button type="submit">${t('show')}</button>
      </form>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${data !== null && html`<${Downloads} onExpired=${this.props.onExpired} intro=${t('download')} items=${[['csv', 'CSV'], ['xlsx', 'Excel (.xlsx)'], ['json', 'JSON']].map(([f, label]) => ({
          format: f, label, aria: t('downloadAs', label), href: '/v1/admin/results/feedback/export?' + this.query({ format: f, lang: getLang() }) }))} />`}
      ${data === null ? html`<p>${t('loading')}</p>` : html`
      <p class="big-number" id="fb-total">${t('feedbackTotal', String(data.total))}</p>
      ${data.merged > 0 && html`<p id="fb-merged">${t('mergedTaps', String(data.merged))}</p>`}
      <${Section} id="s-faces" title=${t('byFace')}>
        <div class="chart-pair">
          <${BarChart} label=${t('chartOfTable', t('byFace'))} total=${data.total}
            rows=${data.faces.map((v, i) => ({ label: t('face' + (i + 1)), value: v, colour: FACE_COLOURS[i] }))} />
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="t-faces">
            <table class="data" id="faces-table"><caption id="t-faces">${t('byFace')}</caption>
              <thead><tr><th scope="col">${t('face')}</th><th scope="col" class="num">${t('count')}</th><th scope="col" class="num">${t('share')}</th></tr></thead>
              <tbody>${data.faces.map((v, i) => html`<tr><th scope="row">${t('face' + (i + 1))}</th><td class="num">${v}</td><td class="num">${pct(v, data.total)}</td></tr>`)}</tbody>
            </table></div>
        </div>
      <//>
      <${Section} id="s-heat" title=${t('byHour')}>
        <p class="hint">${t('byHourHint')}</p>
        <${HeatMap} label=${t('chartOfTable', t('byHour'))} grid=${data.heat} days=${days} />
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="t-heat">
          <table class="data heat" id="heat-table"><caption id="t-heat">${t('byHour')}</caption>
            <thead><tr><th scope="col">${t('weekday')}</th>${data.heat[0].map((_, h) => html`<th scope="col" class="num">${h}</th>`)}</tr></thead>
            <tbody>${data.heat.map((row, d) => html`<tr><th scope="row">${days[d]}</th>${row.map((v) => html`<td class="num">${v}</td>`)}</tr>`)}</tbody>
          </table></div>
      <//>
      <${Section} id="s-weeks" title=${t('byWeek')}>
        <div class="chart-stack">
          <${TrendChart} label=${t('chartOfTable', t('byWeek'))} points=${data.weeks.map((w) => ({ label: w.week.slice(5), value: sumOf(w.counts) }))} />
          ${data.weeks.length ? html`<${FaceTable} id="t-weeks" caption=${t('byWeek')} first=${t('weekOf')}
            rows=${data.weeks.map((w) => ({ label: w.week, counts: w.counts }))} />` : html`<p>${t('noFeedback')}</p>`}
        </div>
      <//>
      <${Section} id="s-kiosks" title=${t('byKiosk')}>
        ${data.kiosks.length ? html`<${FaceTable} id="t-kiosks" caption=${t('byKiosk')} first=${t('kiosk')}
          rows=${data.kiosks.map((k) => ({ label: k.name, counts: k.counts }))} />` : html`<p>${t('noFeedback')}</p>`}
      <//>
      <${Section} id="s-cards" title=${t('byCard')}>
        ${data.cards.length ? html`<${FaceTable} id="t-cards" caption=${t('byCard')} first=${t('item')}
          rows=${data.cards.map((c) => ({ label: this.cardName(c), counts: c.counts }))} />` : html`<p>${t('noCardFeedback')}</p>`}
      <//>`}
      ${comments !== null && html`<${Section} id="s-comments" title=${t('comments')}>
        ${comments.length === 0 ? html`<p>${t('noComments')}</p>` : html`
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="t-comments">
          <table class="data" id="comments-table"><caption id="t-comments">${t('commentsNewest')}</caption>
            <thead><tr><th scope="col">${t('hour')}</th><th scope="col">${t('kiosk')}</th><th scope="col">${t('face')}</th>
              <th scope="col">${t('where')}</th><th scope="col">${t('comment')}</th>${canHide && html`<th scope="col">${t('actions')}</th>`}</tr></thead>
            <tbody>${comments.map((c) => html`<tr data-uuid=${c.uuid}>
              <td>${c.local}</td><td>${c.kiosk}</td><td>${t('face' + c.face)}</td>
              <td>${c.context === 'home' ? t('fromHome') : c.context}</td>
              <td>${c.hidden ? html`<em>${t('hiddenBy', c.hidden.by)}</em>` : c.comment}</td>
              ${canHide && html`<td>${!c.hidden && html`<button type="button" onClick=${() => this.hide(c.uuid)}
                aria-label=${t('hideCommentOf', c.local, c.kiosk)}>${t('hide')}</button>`}</td>`}
            </tr>`)}</tbody>
          </table></div>
        ${next && html`<p><button type="button" onClick=${() => this.more()}>${t('older')}</button></p>`}`}
      <//>`}`;
  }
}
