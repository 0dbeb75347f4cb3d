import { html, Component } from '../lib.js';
import { t, fmtTime } from '../i18n.js';
import { get } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';

export class AuditPage extends Component {
  state = { entries: null, user: '', action: '', next: 0, errors: [] };

  componentDidMount() { this.load(0); }

  async load(before) {
    const q = new URLSearchParams({ limit: '50' });
    if (this.state.user) q.set('user', this.state.user);
    if (this.state.action) q.set('action', this.state.action);
    if (before) q.set('before', String(before));
    try {
      const r = await get('audit?' + q);
      this.setState({ entries: before ? this.state.entries.concat(r.entries) : r.entries,
        next: r.next_before || 0, errors: [] });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err, { user: 'f-user', action: 'f-action' }) });
    }
  }

  render(_, { entries, user, action, next, errors }) {
    return html`<h1 tabindex="-1">${t('audit')}</h1>
      <${ErrorSummary} errors=${errors} />
      <form class="filters" onSubmit=${(e) => { e.preventDefault(); this.load(0); }}>
        <div class="field"><label for="f-user">${t('filterUser')}</label>
          <input id="f-user" value=${user} onInput=${(e) => this.setState({ user: e.target.value })} /></div>
        <div class="field"><label for="f-action">${t('filterAction')}</label>
          <input id="f-action" value=${action} placeholder="user." onInput=${(e) => this.setState({ action: e.target.value })} /></div>
        <button type="submit">${t('filter')}</button>
      </form>
      ${entries === null ? html`<p>${t('loading')}</p>` : entries.length === 0 ? html`<p>${t('noEntries')}</p>` : html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-caption">
      <table class="data">
        <caption id="audit-caption">${t('audit')}</caption>
        <thead><tr><th scope="col">${t('when')}</th><th scope="col">${t('who')}</th><th scope="col">${t('what')}</th>
          <th scope="col">${t('target')}</th><th scope="col">${t('detail')}</th></tr></thead>
        <tbody>${entries.map((a) => html`<tr data-action=${a.action}>
          <td>${fmtTime(a.at)}</td><td>${a.user || t('commandLine')}</td><td><code>${a.action}</code></td>
          <td>${a.target}</td><td>${a.detail}</td></tr>`)}</tbody>
      </table></div>
      ${next > 0 && html`<p><button type="button" onClick=${() => this.load(next)}>${t('older')}</button></p>`}`}`;
  }
}
