// Workshops: the list of workshops kiosks sent (running ones from their answers so far,
// ended ones), and one workshop with each question's totals (a chart with its numbers
// in a table) and every group's answers, and its live screen for the room
// (workshop-live.js, #/workshops/ID/live).  Groups are named, not residents: their
// answers are shown in the room.
import { html, Component } from '../lib.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { text, num, answerText, QuestionResult } from '../workshop-result.js';
import { WorkshopLive } from './workshop-live.js';

// "2026-09-25T10Z" as the hour it names, in the page's language.
const hour = (h) => (h ? h.replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d)Z$/, '$3.$2.$1 $4 UTC') : '–');

export class WorkshopsPage extends Component {
  state = { list: null, ws: null, errors: [] };

  componentDidMount() { if (!this.liveId()) this.load(); }

  // The workshop whose live screen this route shows, or null.
  liveId() {
    const m = /^([^/]+)\/live$/.exec(this.props.rest || '');
    return m ? m[1] : null;
  }

  fail(err) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, {}) });
  }

  async load() {
    const id = this.props.rest;
    try {
      if (id) this.setState({ ws: await get('workshops/' + encodeURIComponent(id)) });
      else this.setState({ list: (await get('workshops')).workshops });
    } catch (err) { this.fail(err); }
  }

  renderList(list) {
    if (!list.length) return html`<p>${t('wsNone')}</p>`;
    return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="ws-list-c">
      <table class="data" id="ws-list"><caption id="ws-list-c">${t('workshops')}</caption>
        <thead><tr><th scope="col">${t('wsLabel')}</th><th scope="col">${t('wsSurvey')}</th><th scope="col">${t('kiosk')}</th>
          <th scope="col">${t('wsStarted')}</th><th scope="col">${t('wsEnded')}</th><th scope="col" class="num">${t('wsGroups')}</th></tr></thead>
        <tbody>${list.map((w) => html`<tr data-id=${w.id}>
          <th scope="row"><a href=${'#/workshops/' + w.id}>${w.label || w.survey}</a></th>
          <td>${w.survey} (${w.version})</td><td>${w.kiosk}</td><td>${hour(w.started)}</td><td>${w.running ? t('wsRunning') : hour(w.ended)}</td>
          <td class="num">${w.running ? '–' : w.groups}</td></tr>`)}</tbody>
      </table></div>`;
  }

  renderOne(w) {
    return html`<p><a href="#/workshops">${t('wsBack')}</a></p>
      <p id="ws-meta">${t('wsMeta', w.label || w.survey, w.kiosk, hour(w.started), w.running ? t('wsRunning') : hour(w.ended))}</p>
      <p><a class="button" id="ws-live" href=${'#/workshops/' + w.id + '/live'}>${t('wsLiveOpen')}</a></p>
      ${w.questions.length === 0 && html`<p>${t('wsNoDefinition')}</p>`}
      ${w.questions.map((q, n) => html`<${QuestionResult} q=${q} n=${n} groups=${w.groups} />`)}
      <section class="result" aria-labelledby="ws-groups-h"><h2 id="ws-groups-h">${t('wsGroupAnswers')}</h2>
        ${w.groups.length === 0 ? html`<p>${t('wsNoGroups')}</p>` : html`
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="ws-groups-c">
          <table class="data" id="ws-groups"><caption id="ws-groups-c">${t('wsByGroup')}</caption>
            <thead><tr><th scope="col">${t('wsGroup')}</th>${w.questions.map((q, n) => html`<th scope="col">${n + 1}. ${text(q.text, q.id)}</th>`)}</tr></thead>
            <tbody>${w.groups.map((g) => html`<tr data-group=${g.id}><th scope="row">${text(g.name, g.id)}</th>
              ${w.questions.map((q) => html`<td>${answerText(q, g.answers[q.id])}</td>`)}</tr>`)}</tbody>
          </table></div>`}
      </section>`;
  }

  render(_, { list, ws, errors }) {
    const live = this.liveId();
    if (live) return html`<${WorkshopLive} id=${live} onExpired=${this.props.onExpired} />`;
    const title = ws ? text(ws.title, ws.label || ws.survey) : t('workshops');
    return html`<h1 tabindex="-1">${title}</h1>
      <${ErrorSummary} errors=${errors} />
      ${ws ? this.renderOne(ws) : list ? this.renderList(list) : !errors.length && html`<p>${t('loading')}</p>`}`;
  }
}
