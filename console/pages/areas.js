// Areas: the cities, districts and villages items belong to, with their names in
// Finnish, Swedish and English side by side; saved through the same rules as an
// import (docs/content-format.md, "Area").
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';

const TYPES = ['city', 'district', 'village'];
const LANG_LABEL = { fi: 'suomi', sv: 'svenska', en: 'English' };
const INPUT = { id: 'a-id', city: 'a-city', type: 'a-type', name: 'a-name-fi', 'name.fi': 'a-name-fi', 'name.sv': 'a-name-sv', 'name.en': 'a-name-en' };
const canEdit = (user) => user.role === 'administrator' || user.role === 'editor';
const nameOf = (a) => a.name[getLang()] || a.name.fi || a.name.sv || a.name.en || a.id;

export class AreasPage extends Component {
  state = { areas: null, edit: null, isNew: false, errors: [], notice: '' };

  componentDidMount() { this.load(); }

  async load() {
    try {
      const r = await get('areas');
      this.setState({ areas: r.areas });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  open(a) {
    this.setState({ edit: a ? JSON.parse(JSON.stringify(a)) : { id: '', city: '', type: 'district', name: {} },
      isNew: !a, errors: [], notice: '' }, () => document.getElementById('area-form-title')?.focus());
  }

  set(key, v) { this.setState({ edit: { ...this.state.edit, [key]: v } }); }

  setName(lang, v) {
    const name = { ...this.state.edit.name };
    if (v === '') delete name[lang]; else name[lang] = v;
    this.set('name', name);
  }

  save = async (e) => {
    e.preventDefault();
    const a = { ...this.state.edit };
    if (a.city === '') delete a.city;
    try {
      await post('areas/' + encodeURIComponent(a.id || '-'), { area: a });
      this.setState({ edit: null, errors: [], notice: t('areaSaved', nameOf(a)) });
      this.load();
    } catch (err) {
      if (err.status === 401) { this.props.onExpired(); return; }
      const errors = errorsOf(err, INPUT).map((x) => ({ ...x, path: err.field }));
      this.setState({ errors, notice: '' });
    }
  };

  remove = async (a) => {
    if (!window.confirm(t('deleteAreaConfirm', nameOf(a)))) return;
    try {
      await post('areas/' + encodeURIComponent(a.id) + '/delete');
      this.setState({ edit: null, errors: [], notice: t('areaDeleted', nameOf(a)) });
      this.load();
    } catch (err) {
      if (err.status === 401) { this.props.onExpired(); return; }
      // Refused while items are in the area: say how many, in the page's language.
      const text = err.code === 'area_in_use' ? t('areaInUse', nameOf(a), err.body.items) : null;
      this.setState({ errors: text ? [{ field: null, text }] : errorsOf(err), notice: '' });
    }
  };

  errorFor(path) {
    const e = this.state.errors.find((x) => x.path === path || (path === 'name' && x.path && x.path.startsWith('name')));
    return e && e.text;
  }

  input(key, id, label, value, onInput, extra = {}) {
    const err = this.errorFor(key);
    return html`<div class=${'field' + (err ? ' field-error' : '')}><label for=${id}>${label}</label>
      ${extra.hint && html`<p class="hint" id=${id + '-hint'}>${extra.hint}</p>`}
      ${err && html`<p class="error-text" id=${id + '-error'}>${err}</p>`}
      <input id=${id} value=${value} readOnly=${extra.readOnly} aria-invalid=${err ? 'true' : undefined}
        aria-describedby=${[extra.hint ? id + '-hint' : '', err ? id + '-error' : ''].filter(Boolean).join(' ') || undefined}
        onInput=${(e) => onInput(e.target.value)} /></div>`;
  }

  form(a, isNew) {
    const nameErr = this.errorFor('name');
    return html`<section class="panel" aria-labelledby="area-form-title">
      <h2 id="area-form-title" tabindex="-1">${isNew ? t('newArea') : t('editArea', nameOf(a))}</h2>
      <form class="editor" onSubmit=${this.save} novalidate>
        <div class="row2">
          ${this.input('id', 'a-id', t('id'), a.id, (v) => this.set('id', v), { hint: t('idHint'), readOnly: !isNew })}
          ${this.input('city', 'a-city', t('areaCity'), a.city || '', (v) => this.set('city', v))}
          <div class=${'field' + (this.errorFor('type') ? ' field-error' : '')}><label for="a-type">${t('areaType')}</label>
            ${this.errorFor('type') && html`<p class="error-text" id="a-type-error">${this.errorFor('type')}</p>`}
            <select id="a-type" value=${a.type} onChange=${(e) => this.set('type', e.target.value)}>
              ${TYPES.map((ty) => html`<option value=${ty}>${t('areaType_' + ty)}</option>`)}</select></div>
        </div>
        <fieldset class=${'field langs3' + (nameErr ? ' field-error' : '')}>
          <legend>${t('name')} *</legend>
          ${nameErr && html`<p class="error-text">${nameErr}</p>`}
          <div class="cols">${['fi', 'sv', 'en'].map((lg) => html`<div><label for=${'a-name-' + lg} lang=${lg}>${LANG_LABEL[lg]}</label>
            <input id=${'a-name-' + lg} lang=${lg} value=${a.name[lg] || ''} aria-invalid=${nameErr ? 'true' : undefined}
              onInput=${(e) => this.setName(lg, e.target.value)} /></div>`)}</div>
        </fieldset>
        <p class="actions"><button type="submit" class="primary">${t('saveArea')}</button>
          <button type="button" onClick=${() => this.setState({ edit: null, errors: [] })}>${t('cancel')}</button></p>
      </form>
    </section>`;
  }

  render({ user }, { areas, edit, isNew, errors, notice }) {
    const can = canEdit(user);
    return html`<h1 tabindex="-1">${t('areas')}</h1>
      <p>${t('areasIntro')}</p>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${can && !edit && html`<p><button type="button" class="primary" onClick=${() => this.open(null)}>${t('newArea')}</button></p>`}
      ${edit && this.form(edit, isNew)}
      ${areas === null ? html`<p>${t('loading')}</p>` : html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="areas-caption">
        <table>
          <caption id="areas-caption">${t('areasCount', areas.length)}</caption>
          <thead><tr><th scope="col">suomi</th><th scope="col">svenska</th><th scope="col">English</th>
            <th scope="col">${t('areaType')}</th><th scope="col">${t('areaCity')}</th><th scope="col">${t('id')}</th>
            ${can && html`<th scope="col">${t('actions')}</th>`}</tr></thead>
          <tbody>${areas.map((a) => html`<tr data-area=${a.id}>
            <td lang="fi">${a.name.fi || '–'}</td><td lang="sv">${a.name.sv || '–'}</td><td lang="en">${a.name.en || '–'}</td>
            <td>${t('areaType_' + a.type)}</td><td>${a.city}</td><td><code>${a.id}</code></td>
            ${can && html`<td><button type="button" onClick=${() => this.open(a)}
              aria-label=${t('editArea', nameOf(a))}>${t('edit')}</button>
              <button type="button" class="danger" onClick=${() => this.remove(a)}
              aria-label=${t('deleteAreaLabel', nameOf(a))}>${t('deleteArea')}</button></td>`}</tr>`)}</tbody>
        </table>
      </div>`}`;
  }
}
