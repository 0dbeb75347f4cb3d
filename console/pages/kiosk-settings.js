// One kiosk's settings (docs/admin-api.md "Kiosk settings"): place name, default
// language, idle time, opening hours per weekday and which surveys and ballots it
// shows.  An empty field leaves the kiosk's kiosk.conf value in force.
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { Field, ErrorSummary, errorsOf } from '../ui.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const title = (d) => (d.title && (d.title[getLang()] || d.title.fi || d.title.sv || d.title.en)) || d.id;

// API field -> the input that shows it.
const FIELDS = { place: 'ks-place', language: 'ks-lang', idle_s: 'ks-idle', hours: 'ks-open-mon',
  surveys: 'ks-surveys', ballots: 'ks-ballots',
  ...Object.fromEntries(DAYS.map((d) => ['hours.' + d, 'ks-open-' + d])) };

function formOf(r) {
  const s = r.settings;
  const hours = {};
  for (const d of DAYS) {
    const v = s.hours ? s.hours[d] : '08:00-20:00';
    hours[d] = v === 'closed' ? { open: '', close: '', closed: true } : { open: v.slice(0, 5), close: v.slice(6), closed: false };
  }
  return { place: s.place || '', language: s.language || '', idle: s.idle_s ? String(s.idle_s) : '',
    always: !s.hours, hours, surveys: r.surveys, ballots: r.ballots };
}

export class KioskSettings extends Component {
  state = { f: null, errors: [], notice: '' };

  componentDidMount() { this.load(); }

  async load() {
    try {
      const r = await get('kiosks/' + encodeURIComponent(this.props.name) + '/settings');
      this.setState({ f: formOf(r) }, () => {
        const h = document.getElementById('ks-title');
        if (h) h.focus();
      });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  set(patch) { this.setState({ f: { ...this.state.f, ...patch } }); }
  setDay(d, patch) { this.set({ hours: { ...this.state.f.hours, [d]: { ...this.state.f.hours[d], ...patch } } }); }
  tick(kind, id, on) { this.set({ [kind]: this.state.f[kind].map((x) => (x.id === id ? { ...x, shown: on } : x)) }); }

  save = async (e) => {
    e.preventDefault();
    const f = this.state.f;
    const body = { place: f.place.trim() || null, language: f.language || null,
      idle_s: f.idle.trim() === '' ? null : (/^\d+$/.test(f.idle.trim()) ? Number(f.idle.trim()) : f.idle),
      hours: f.always ? null : Object.fromEntries(DAYS.map((d) => [d, f.hours[d].closed ? 'closed' : `${f.hours[d].open}-${f.hours[d].close}`])),
      surveys: f.surveys.filter((x) => x.shown).map((x) => x.id),
      ballots: f.ballots.filter((x) => x.shown).map((x) => x.id) };
    try {
      const r = await post('kiosks/' + encodeURIComponent(this.props.name) + '/settings', body);
      this.setState({ f: formOf(r), errors: [], notice: t('settingsSaved', this.props.name) });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err, FIELDS), notice: '' });
    }
  };

  docs(kind, f, fe) {
    const list = f[kind];
    const id = 'ks-' + kind;
    return html`<fieldset class=${'field' + (fe(id) ? ' field-error' : '')} id=${id} tabindex="-1">
      <legend>${t(kind === 'surveys' ? 'surveys' : 'ballots')}</legend>
      ${fe(id) && html`<p class="error-text">${fe(id)}</p>`}
      ${list.length === 0 ? html`<p>${t('noDocs')}</p>` : html`<div class="checks">${list.map((d) => html`
        <span class="check"><input type="checkbox" id=${id + '-' + d.id} checked=${d.shown}
          disabled=${!this.props.canEdit || d.publish === 'closed'}
          onChange=${(e) => this.tick(kind, d.id, e.target.checked)} />
        <label for=${id + '-' + d.id}>${title(d)}${d.publish === 'closed' ? ` (${t('closedDoc')})` : ''}</label></span>`)}</div>`}
    </fieldset>`;
  }

  render({ name, canEdit, onClose }, { f, errors, notice }) {
    const fe = (id) => (errors.find((e) => e.field === id) || {}).text;
    return html`<section class="panel settings" aria-labelledby="ks-title" data-settings=${name}>
      <h2 id="ks-title" tabindex="-1">${t('settingsOf', name)}</h2>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${f === null ? html`<p>${t('loading')}</p>` : html`<form onSubmit=${this.save} novalidate>
        <p class="hint">${t('settingsWhy')}</p>
        <${Field} id="ks-place" label=${t('place')} hint=${t('placeHint')} value=${f.place}
          error=${fe('ks-place')} onInput=${(v) => this.set({ place: v })} />
        <div class=${'field' + (fe('ks-lang') ? ' field-error' : '')}>
          <label for="ks-lang">${t('defaultLang')}</label>
          <p class="hint" id="ks-lang-hint">${t('defaultLangHint')}</p>
          ${fe('ks-lang') && html`<p class="error-text">${fe('ks-lang')}</p>`}
          <select id="ks-lang" aria-describedby="ks-lang-hint" value=${f.language} onChange=${(e) => this.set({ language: e.target.value })}>
            <option value="">${t('fromConf')}</option>
            <option value="fi">suomi</option><option value="sv">svenska</option><option value="en">English</option>
          </select></div>
        <${Field} id="ks-idle" label=${t('idle')} hint=${t('idleHint')} value=${f.idle}
          error=${fe('ks-idle')} onInput=${(v) => this.set({ idle: v })} />
        <fieldset class="field">
          <legend>${t('hours')}</legend>
          <p class="hint">${t('hoursHint')}</p>
          <span class="check"><input type="checkbox" id="ks-always" checked=${f.always}
            onChange=${(e) => this.set({ always: e.target.checked })} />
          <label for="ks-always">${t('alwaysOpen')}</label></span>
          ${!f.always && html`<div class="table-wrap"><table class="data hours">
            <caption class="visually-hidden">${t('hours')}</caption>
            <thead><tr><th scope="col">${t('day')}</th><th scope="col">${t('opens')}</th>
              <th scope="col">${t('closes')}</th><th scope="col">${t('closedDay')}</th></tr></thead>
            <tbody>${DAYS.map((d) => { const h = f.hours[d]; const err = fe('ks-open-' + d); return html`<tr data-day=${d}>
              <th scope="row">${t('d_' + d)}${err && html`<p class="error-text" id=${'ks-err-' + d}>${err}</p>`}</th>
              <td><label class="visually-hidden" for=${'ks-open-' + d}>${t('d_' + d)}: ${t('opens')}</label>
                <input id=${'ks-open-' + d} class="time" value=${h.open} disabled=${h.closed} placeholder="08:00"
                  aria-invalid=${err ? 'true' : undefined} aria-describedby=${err ? 'ks-err-' + d : undefined}
                  onInput=${(e) => this.setDay(d, { open: e.target.value })} /></td>
              <td><label class="visually-hidden" for=${'ks-close-' + d}>${t('d_' + d)}: ${t('closes')}</label>
                <input id=${'ks-close-' + d} class="time" value=${h.close} disabled=${h.closed} placeholder="20:00"
                  onInput=${(e) => this.setDay(d, { close: e.target.value })} /></td>
              <td><span class="check"><input type="checkbox" id=${'ks-closed-' + d} checked=${h.closed}
                onChange=${(e) => this.setDay(d, { closed: e.target.checked })} />
                <label for=${'ks-closed-' + d}><span class="visually-hidden">${t('d_' + d)}: </span>${t('closedDay')}</label></span></td>
            </tr>`; })}</tbody></table></div>`}
        </fieldset>
        <h3>${t('shows')}</h3>
        <p class="hint">${t('showsHint')}</p>
        ${this.docs('surveys', f, fe)}
        ${this.docs('ballots', f, fe)}
        <div class="actions">
          ${canEdit && html`<button type="submit" class="primary">${t('saveSettings')}</button>`}
          <button type="button" onClick=${onClose}>${t('close')}</button>
        </div>
      </form>`}
    </section>`;
  }
}
