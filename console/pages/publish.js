// Where a survey or ballot is published (docs/admin-api.md "Publishing"): every kiosk,
// chosen kiosks, or closed.  The same rows as the Kiosks page's per-kiosk tick boxes.
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';

const title = (d) => (d.title && (d.title[getLang()] || d.title.fi || d.title.sv || d.title.en)) || d.id;

export class Publishing extends Component {
  state = { kiosks: null, edit: {}, errors: [], notice: '' };

  componentDidMount() {
    get('kiosks').then((r) => this.setState({ kiosks: r.kiosks.filter((k) => k.health !== 'revoked').map((k) => k.name) }))
      .catch((err) => (err.status === 401 ? this.props.onExpired() : this.setState({ errors: errorsOf(err) })));
  }

  // One row per document (the list has one per version, newest first).
  rows() {
    const seen = new Set();
    const out = [];
    for (const [type, docs] of [['survey', this.props.surveys], ['ballot', this.props.ballots]])
      for (const d of docs || []) if (!seen.has(type + d.id)) { seen.add(type + d.id); out.push({ ...d, type }); }
    return out;
  }

  editOf(d) { return this.state.edit[d.type + ':' + d.id] || { to: d.publish || 'all', kiosks: d.kiosks || [] }; }
  setEdit(d, patch) { this.setState({ edit: { ...this.state.edit, [d.type + ':' + d.id]: { ...this.editOf(d), ...patch } } }); }

  async save(d) {
    const e = this.editOf(d);
    const body = { id: d.id, to: e.to };
    if (e.to === 'chosen') body.kiosks = e.kiosks;
    try {
      await post('docs/publish?type=' + d.type, body);
      this.setState({ errors: [], notice: t('pubSaved', title(d)) });
      this.props.onSaved();
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err), notice: '' });
    }
  }

  render({ canEdit }, { kiosks, errors, notice }) {
    const rows = this.rows();
    if (!rows.length) return null;
    return html`<section aria-labelledby="pub-title">
      <h2 id="pub-title">${t('publishing')}</h2>
      <p>${t('publishWhy')}</p>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${rows.map((d) => {
        const e = this.editOf(d);
        const key = d.type + '-' + d.id;
        return html`<fieldset class="field pub" data-pub=${key}>
          <legend>${title(d)} <code>${d.id}</code></legend>
          <p>${t('publishedTo')}: <strong>${t('pub_' + (d.publish || 'all'))}</strong>${d.publish === 'chosen' ? ': ' + (d.kiosks.join(', ') || '–') : ''}</p>
          ${canEdit && html`<div class="checks">${['all', 'chosen', 'closed'].map((to) => html`
            <span class="check"><input type="radio" name=${'pub-' + key} id=${'pub-' + key + '-' + to} checked=${e.to === to}
              onChange=${() => this.setEdit(d, { to })} /><label for=${'pub-' + key + '-' + to}>${t('pub_' + to)}</label></span>`)}</div>
          ${e.to === 'chosen' && kiosks && html`<fieldset class="field"><legend>${t('choose')}</legend><div class="checks">${kiosks.map((k) => html`
            <span class="check"><input type="checkbox" id=${'pub-' + key + '-k-' + k} checked=${e.kiosks.includes(k)}
              onChange=${(ev) => this.setEdit(d, { kiosks: ev.target.checked ? [...e.kiosks, k] : e.kiosks.filter((x) => x !== k) })} />
            <label for=${'pub-' + key + '-k-' + k}>${k}</label></span>`)}</div></fieldset>`}
          <p><button type="button" onClick=${() => this.save(d)}>${t('savePub')}</button></p>`}
        </fieldset>`;
      })}
    </section>`;
  }
}
