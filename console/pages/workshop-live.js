// The live results screen of one workshop, for the room's projector: each question's
// chart with its numbers, large and in high contrast, full screen on request (button
// or the F key; Esc leaves).  It follows the workshop as groups answer on the kiosk:
// the server's change events (GET /v1/admin/workshops/ID/events, docs/admin-api.md)
// say when to read the workshop again; when they are refused (503: too many screens
// open) or fail, the page reads it every POLL_S seconds instead and tries the events
// again later.  Nothing reloads the page.
import { html, Component, createRef } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { QuestionResult, text } from '../workshop-result.js';

const POLL_S = 5;
const EVENTS_RETRY_S = 60;
const clock = (d) => d.toLocaleTimeString({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[getLang()],
  { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export class WorkshopLive extends Component {
  state = { ws: null, errors: [], mode: 'events', updated: null, full: false };
  root = createRef();

  componentDidMount() {
    this.alive = true;
    this.onKey = (e) => {
      if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey &&
          !/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) {
        e.preventDefault();
        this.toggleFull();
      }
    };
    this.onFull = () => this.setState({ full: document.fullscreenElement === this.root.current });
    document.addEventListener('keydown', this.onKey);
    document.addEventListener('fullscreenchange', this.onFull);
    this.load().then(() => this.listen());
  }

  componentWillUnmount() {
    this.alive = false;
    document.removeEventListener('keydown', this.onKey);
    document.removeEventListener('fullscreenchange', this.onFull);
    this.stopEvents();
    clearInterval(this.poller);
    clearTimeout(this.retry);
    clearTimeout(this.soon);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  async load() {
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const ws = await get('workshops/' + encodeURIComponent(this.props.id));
      if (this.alive) this.setState({ ws, errors: [], updated: new Date() });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else if (this.alive) this.setState({ errors: errorsOf(err, {}) });
    }
    this.loading = false;
    if (this.again) { this.again = false; this.load(); }
  }

  // The change events: each says the workshop changed; several close together make
  // one read.
  listen() {
    if (!this.alive || typeof EventSource === 'undefined') { this.poll(); return; }
    clearInterval(this.poller);
    this.es = new EventSource('/v1/admin/workshops/' + encodeURIComponent(this.props.id) + '/events');
    this.es.onopen = () => this.setState({ mode: 'events' });
    this.es.onmessage = () => {
      clearTimeout(this.soon);
      this.soon = setTimeout(() => this.load(), 150);
    };
    // A stream that ended (its lifetime) reconnects by itself; a refused one (503,
    // 404, a lost session) is closed: poll, and try the events again later.
    this.es.onerror = () => { if (this.es && this.es.readyState === EventSource.CLOSED) this.poll(); };
  }

  stopEvents() {
    if (this.es) { this.es.close(); this.es = null; }
  }

  poll() {
    this.stopEvents();
    if (!this.alive) return;
    this.setState({ mode: 'poll' });
    clearInterval(this.poller);
    this.poller = setInterval(() => this.load(), POLL_S * 1000);
    this.load();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.listen(), EVENTS_RETRY_S * 1000);
  }

  toggleFull() {
    const el = this.root.current;
    if (!el || !document.fullscreenEnabled) return;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else el.requestFullscreen().catch(() => {});
  }

  render({ id }, { ws, errors, mode, updated, full }) {
    const title = ws ? text(ws.title, ws.label || ws.survey) : t('wsLive');
    const answered = ws ? ws.groups.length : 0;
    return html`<div class="live" id="live" ref=${this.root}>
      <div class="live-bar">
        <a href=${'#/workshops/' + id}>${t('wsLiveBack')}</a>
        <button type="button" id="live-full" aria-pressed=${full ? 'true' : 'false'}
          aria-keyshortcuts="F" onClick=${() => this.toggleFull()}>${full ? t('wsLiveExit') : t('wsLiveFull')}</button>
        <span class="hint">${t('wsLiveKeys')}</span>
      </div>
      <h1 tabindex="-1">${title}</h1>
      <${ErrorSummary} errors=${errors} />
      ${ws && html`<p class="live-meta">${[ws.label !== title && ws.label, ws.running && t('wsRunning')].filter(Boolean)
          .map((s) => s + ' · ')}<span id="live-groups">${t('wsLiveGroups', answered)}</span></p>
        <p class="live-status" role="status" id="live-status">${mode === 'events' ? t('wsLiveOn') : t('wsLivePoll', POLL_S)}${
          updated ? ' · ' + t('wsLiveUpdated', clock(updated)) : ''}</p>
        ${ws.questions.length === 0 && html`<p>${t('wsNoDefinition')}</p>`}
        ${ws.questions.map((q, n) => html`<${QuestionResult} q=${q} n=${n} big=${true} groups=${ws.groups} />`)}`}
      ${!ws && !errors.length && html`<p>${t('loading')}</p>`}
    </div>`;
  }
}
