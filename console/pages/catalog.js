// The catalog: a server-paged list with search and filters, the item editor (fi/sv/en
// side by side, errors next to their fields), and a content file checked before it is
// applied.
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post, postBlob } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { KINDS, KIND_LABEL, fieldsOf } from '../catalog-fields.js';

const L = () => ({ fi: 0, sv: 1, en: 2 }[getLang()]);
const kindLabel = (k) => (KIND_LABEL[k] || [k, k, k])[L()];
const LANG_NAMES = [['fi', 'suomi'], ['sv', 'svenska'], ['en', 'English']];
const canEdit = (user) => user.role === 'administrator' || user.role === 'editor';

// The input id of an API field path ("name.fi" -> "f-name-fi"), falling back to the
// field itself when that part has no input of its own.
function inputId(path) {
  const id = 'f-' + path.replace(/\./g, '-');
  if (document.getElementById(id)) return id;
  const first = 'f-' + path.split('.')[0];
  if (document.getElementById(first)) return first;
  if (document.getElementById(first + '-fi')) return first + '-fi';
  return null;
}

export class CatalogPage extends Component {
  render(props) {
    const [sub, id] = (props.rest || '').split('/');
    if (sub === 'edit' && id) return html`<${ItemEditor} ...${props} id=${decodeURIComponent(id)} />`;
    if (sub === 'new') return html`<${ItemEditor} ...${props} id="" />`;
    return html`<${CatalogList} ...${props} />`;
  }
}

class CatalogList extends Component {
  state = { q: '', kind: '', area: '', areas: [], items: null, total: null, next: null, pages: [''], errors: [],
    upload: null, uploadText: '', uploadName: '', replace: false, uploadDone: '' };

  componentDidMount() {
    this.loadAreas();
    this.load('');
  }

  loadAreas() { get('areas').then((r) => this.setState({ areas: r.areas })).catch(() => {}); }

  fail(err, ids) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, ids) });
  }

  async load(after, pages) {
    const { q, kind, area } = this.state;
    const p = new URLSearchParams({ limit: '50' });
    if (q) p.set('q', q);
    if (kind) p.set('kind', kind);
    if (area) p.set('area', area);
    if (after) p.set('after', after);
    try {
      const r = await get('catalog?' + p);
      this.setState({ items: r.items, total: after ? this.state.total : r.total ?? null, next: r.next || null, errors: [],
        pages: pages || [''], revision: r.revision });
    } catch (err) { this.fail(err, { q: 'c-q', kind: 'c-kind', area: 'c-area' }); }
  }

  search = (e) => { e.preventDefault(); this.load(''); };

  nextPage = () => { const pages = this.state.pages.concat([this.state.next]); this.load(this.state.next, pages); };

  prevPage = () => { const pages = this.state.pages.slice(0, -1); this.load(pages[pages.length - 1], pages); };

  pickFile = (e) => {
    const f = e.target.files[0];
    if (!f) return;
    f.text().then((text) => this.setState({ uploadText: text, uploadName: f.name, upload: null, uploadDone: '' }));
  };

  check = async (e) => {
    e.preventDefault();
    if (!this.state.uploadText) {
      this.setState({ errors: [{ field: 'c-file', text: t('chooseFile') }] });
      return;
    }
    try {
      const r = await post('catalog/import' + (this.state.replace ? '?replace=1' : ''), this.state.uploadText);
      this.setState({ upload: r, errors: [] }, () => document.getElementById('upload-summary')?.focus());
    } catch (err) { this.setState({ upload: null }); this.fail(err, {}); }
  };

  confirm = async () => {
    try {
      const r = await post('catalog/import?apply=1' + (this.state.replace ? '&replace=1' : ''), this.state.uploadText);
      this.setState({ upload: null, uploadText: '', uploadName: '', uploadDone: t('uploadDone', r.revision) });
      this.loadAreas();
      this.load('');
    } catch (err) { this.fail(err, {}); }
  };

  render({ user }, s) {
    const { items, total, next, pages, errors, upload } = s;
    const summary = (r) => t('summary', r.added, r.changed, r.deleted);
    return html`<h1 tabindex="-1">${t('catalog')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${s.uploadDone && html`<p class="notice" role="status">${s.uploadDone}</p>`}
      <form class="filters" role="search" onSubmit=${this.search}>
        <div class="field"><label for="c-q">${t('search')}</label>
          <input id="c-q" type="search" value=${s.q} onInput=${(e) => this.setState({ q: e.target.value })} /></div>
        <div class="field"><label for="c-kind">${t('kind')}</label>
          <select id="c-kind" value=${s.kind} onChange=${(e) => this.setState({ kind: e.target.value })}>
            <option value="">${t('any')}</option>
            ${KINDS.map((k) => html`<option value=${k}>${kindLabel(k)}</option>`)}
          </select></div>
        <div class="field"><label for="c-area">${t('area')}</label>
          <select id="c-area" value=${s.area} onChange=${(e) => this.setState({ area: e.target.value })}>
            <option value="">${t('any')}</option>
            ${s.areas.map((a) => html`<option value=${a.id}>${(a.name[getLang()] || a.name.fi || a.name.sv || a.name.en)} (${a.city})</option>`)}
          </select></div>
        <button type="submit">${t('search')}</button>
      </form>
      ${canEdit(user) && html`<p><a class="button" href="#/catalog/new">${t('newItem')}</a></p>`}
      ${items === null ? html`<p>${t('loading')}</p>` : items.length === 0 ? html`<p role="status">${t('noItems')}</p>` : html`
        <p role="status">${total !== null ? t('itemsTotal', total) : ''} ${t('revisionNow', s.revision)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="cat-caption">
        <table class="data">
          <caption id="cat-caption">${t('catalog')}</caption>
          <thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('kind')}</th><th scope="col">${t('area')}</th>
            <th scope="col">${t('id')}</th><th scope="col" class="num">${t('revision')}</th></tr></thead>
          <tbody>${items.map((it) => html`<tr data-item=${it.id}>
            <th scope="row"><a href=${'#/catalog/edit/' + encodeURIComponent(it.id)}>${it.name[getLang()] || it.name.fi || it.name.sv || it.name.en}</a></th>
            <td>${kindLabel(it.kind)}</td><td>${it.area || '–'}</td><td><code>${it.id}</code></td><td class="num">${it.rev}</td></tr>`)}
          </tbody>
        </table></div>
        <nav class="pager" aria-label=${t('pages')}>
          ${pages.length > 1 && html`<button type="button" onClick=${this.prevPage}>${t('prev')}</button>`}
          <span>${t('page', pages.length)}</span>
          ${next && html`<button type="button" onClick=${this.nextPage}>${t('next')}</button>`}
        </nav>`}
      <section aria-labelledby="dl-title">
        <h2 id="dl-title">${t('contentFile')}</h2>
        <p><a href="/v1/admin/catalog/export" download="catalog.json">${t('download')}</a></p>
        ${canEdit(user) && html`<form class="narrow" onSubmit=${this.check}>
          <div class=${'field' + (errors.some((e) => e.field === 'c-file') ? ' field-error' : '')}>
            <label for="c-file">${t('uploadLabel')}</label>
            <p class="hint" id="c-file-hint">${t('uploadHint')}</p>
            <input id="c-file" type="file" accept=".json,application/json" aria-describedby="c-file-hint" onChange=${this.pickFile} />
          </div>
          <div class="field check"><input id="c-replace" type="checkbox" checked=${s.replace}
            onChange=${(e) => this.setState({ replace: e.target.checked, upload: null })} />
            <label for="c-replace">${t('replaceAll')}</label></div>
          <button type="submit">${t('checkFile')}</button>
        </form>`}
        ${upload && html`<div class="panel" id="upload-summary" tabindex="-1" role="status">
          <p><strong>${s.uploadName}</strong>: ${summary(upload)}</p>
          <p><button type="button" class="primary" onClick=${this.confirm}>${t('confirmApply')}</button>
            <button type="button" onClick=${() => this.setState({ upload: null })}>${t('cancel')}</button></p>
        </div>`}
      </section>`;
  }
}

// The card as the kiosk draws it (POST catalog/preview: the kiosk's own program, as a
// PNG), from the form as it is now; nothing is saved.  Every role may preview.
class CardPreview extends Component {
  state = { lang: getLang(), orientation: 'portrait', busy: false, src: null, shown: null };

  run = async () => {
    const { item, onErrors } = this.props;
    const { lang, orientation, busy } = this.state;
    if (busy) return;  /* one at a time; the button keeps its focus */
    this.setState({ busy: true });
    try {
      const blob = await postBlob('catalog/preview', { item, lang, orientation });
      // A data: URL: the console's Content-Security-Policy allows no blob: images.
      const src = await new Promise((ok, bad) => {
        const rd = new FileReader();
        rd.onload = () => ok(rd.result);
        rd.onerror = () => bad(rd.error);
        rd.readAsDataURL(blob);
      });
      this.setState({ busy: false, src, shown: { lang, orientation, name: nameFor(item, lang) } });
      onErrors(null);
    } catch (err) {
      this.setState({ busy: false });
      onErrors(err);
    }
  };

  render(_, { lang, orientation, busy, src, shown }) {
    return html`<section class="panel card-preview" aria-labelledby="pv-title">
      <h2 id="pv-title">${t('previewTitle')}</h2>
      <p>${t('previewIntro')}</p>
      <div class="row2">
        <div class="field"><label for="pv-lang">${t('language')}</label>
          <select id="pv-lang" value=${lang} onChange=${(e) => this.setState({ lang: e.target.value })}>
            ${LANG_NAMES.map(([lg, name]) => html`<option value=${lg}>${name}</option>`)}</select></div>
        <div class="field"><label for="pv-orientation">${t('previewOrientation')}</label>
          <select id="pv-orientation" value=${orientation} onChange=${(e) => this.setState({ orientation: e.target.value })}>
            ${['portrait', 'landscape'].map((o) => html`<option value=${o}>${t('orient_' + o)}</option>`)}</select></div>
      </div>
      <p><button type="button" id="pv-run" onClick=${this.run} aria-disabled=${busy ? 'true' : undefined}>${t('previewButton')}</button></p>
      <p role="status">${busy ? t('previewDrawing') : shown ? t('previewReady') : ''}</p>
      ${src && html`<img class=${'card-preview-img ' + shown.orientation} src=${src}
        alt=${t('previewAlt', shown.name, LANG_NAMES.find(([lg]) => lg === shown.lang)[1])} />`}
    </section>`;
  }
}

// The item's name as the kiosk would pick it for lang (then fi, sv, en), else its id.
function nameFor(item, lang) {
  const n = item.name || {};
  return n[lang] || n.fi || n.sv || n.en || item.id || '–';
}

class ItemEditor extends Component {
  state = { item: null, errors: [], notice: '', areas: [] };

  // The preview's refusals show like the save's, next to their fields.
  previewErrors = (err) => {
    if (!err) { if (this.state.errors.length) this.setState({ errors: [] }); return; }
    if (err.status === 401) { this.props.onExpired(); return; }
    const errors = errorsOf(err).map((x) => ({ ...x, field: err.field ? inputId(err.field) : null, path: err.field }));
    this.setState({ errors, notice: '' });
  };

  async componentDidMount() {
    get('areas').then((r) => this.setState({ areas: r.areas })).catch(() => {});
    if (!this.props.id) { this.setState({ item: { id: '', kind: 'association', name: {} } }); return; }
    try {
      const r = await get('catalog/items/' + encodeURIComponent(this.props.id));
      this.setState({ item: r.item, rev: r.rev });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  set(key, value) {
    const item = { ...this.state.item };
    if (value === '' || value === undefined || (Array.isArray(value) && !value.length && key !== 'themes')) delete item[key];
    else item[key] = value;
    this.setState({ item });
  }

  setText(key, lang, v) {
    const cur = { ...(this.state.item[key] || {}) };
    if (v === '') delete cur[lang]; else cur[lang] = v;
    this.set(key, Object.keys(cur).length ? cur : '');
  }

  save = async (e) => {
    e.preventDefault();
    const item = this.state.item;
    try {
      const r = await post('catalog/items/' + encodeURIComponent(item.id || '-'), { item });
      this.setState({ errors: [], notice: t('savedRevision', r.revision) });
      if (!this.props.id) location.hash = '#/catalog/edit/' + encodeURIComponent(item.id);
    } catch (err) {
      if (err.status === 401) { this.props.onExpired(); return; }
      const errors = errorsOf(err).map((x) => ({ ...x, field: err.field ? inputId(err.field) : null, path: err.field }));
      this.setState({ errors, notice: '' });
    }
  };

  remove = async () => {
    if (!window.confirm(t('deleteConfirm', this.state.item.id))) return;
    try {
      await post('catalog/items/' + encodeURIComponent(this.state.item.id) + '/delete');
      location.hash = '#/catalog';
    } catch (err) { this.setState({ errors: errorsOf(err) }); }
  };

  errorFor(key, lang) {
    const e = this.state.errors.find((x) => x.path === key + (lang ? '.' + lang : '') || (!lang && x.path && x.path.split('.')[0] === key));
    return e && e.text;
  }

  fieldInput(f, ro) {
    const it = this.state.item;
    const id = 'f-' + f.key;
    const req = f.req && f.req.includes({ association: 'A', opportunity: 'O', venue: 'V', event: 'E', grant: 'G', contact: 'C' }[it.kind]);
    const label = f.label[L()] + (req ? ' *' : '');
    if (f.type === 'text' || f.type === 'long') {
      const err = this.errorFor(f.key);
      return html`<fieldset class=${'field langs3' + (err ? ' field-error' : '')}>
        <legend>${label}</legend>
        ${err && html`<p class="error-text" id=${id + '-error'}>${err}</p>`}
        <div class="cols">${LANG_NAMES.map(([lg, name]) => {
          const v = (it[f.key] || {})[lg] || '';
          const e2 = this.errorFor(f.key, lg);
          const common = { id: id + '-' + lg, lang: lg, readOnly: ro, 'aria-invalid': e2 ? 'true' : undefined,
            'aria-describedby': e2 || err ? id + '-error' : undefined,
            onInput: (ev) => this.setText(f.key, lg, ev.target.value) };
          return html`<div><label for=${id + '-' + lg}>${name}</label>
            ${f.type === 'long' ? html`<textarea rows="4" ...${common} value=${v}></textarea>` : html`<input ...${common} value=${v} />`}</div>`;
        })}</div>
      </fieldset>`;
    }
    const err = this.errorFor(f.key);
    const wrap = (inner) => html`<div class=${'field' + (err ? ' field-error' : '')}>
      <label for=${id}>${label}</label>
      ${err && html`<p class="error-text" id=${id + '-error'}>${err}</p>`}${inner}</div>`;
    const v = it[f.key];
    const aria = { 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': err ? id + '-error' : undefined };
    if (f.type === 'enum') {
      return wrap(html`<select id=${id} disabled=${ro} ...${aria} value=${v || ''} onChange=${(e) => this.set(f.key, e.target.value)}>
        <option value="">–</option>${f.list.map((o) => html`<option value=${o}>${o}</option>`)}</select>`);
    }
    if (f.type === 'set') {
      const cur = v || [];
      return html`<fieldset class=${'field set' + (err ? ' field-error' : '')} id=${id} tabindex="-1">
        <legend>${label}</legend>
        ${err && html`<p class="error-text">${err}</p>`}
        <div class="checks">${f.list.map((o) => html`<span class="check"><input type="checkbox" id=${id + '-' + o} disabled=${ro}
          checked=${cur.includes(o)} onChange=${(e) => this.set(f.key, e.target.checked ? cur.concat([o]) : cur.filter((x) => x !== o))} />
          <label for=${id + '-' + o}>${o}</label></span>`)}</div>
      </fieldset>`;
    }
    const type = { date: 'date', datetime: 'datetime-local', int: 'number' }[f.type] || 'text';
    return wrap(html`<input id=${id} type=${type} readOnly=${ro} ...${aria} value=${v ?? ''}
      onInput=${(e) => this.set(f.key, f.type === 'int' ? (e.target.value === '' ? '' : Number(e.target.value)) : e.target.value)} />`);
  }

  render({ user, id }, { item, errors, notice, areas }) {
    const ro = !canEdit(user);
    const title = id ? t('editItem') : t('newItem');
    if (!item) return html`<h1 tabindex="-1">${title}</h1><${ErrorSummary} errors=${errors} /><p>${t('loading')}</p>`;
    const idErr = this.errorFor('id');
    return html`<h1 tabindex="-1">${title}</h1>
      <p><a href="#/catalog">${t('backToCatalog')}</a></p>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <form class="editor" onSubmit=${this.save} novalidate>
        <div class="row2">
          <div class=${'field' + (idErr ? ' field-error' : '')}><label for="f-id">${t('id')}</label>
            <p class="hint" id="f-id-hint">${t('idHint')}</p>
            ${idErr && html`<p class="error-text" id="f-id-error">${idErr}</p>`}
            <input id="f-id" value=${item.id} readOnly=${!!id || ro} aria-describedby=${'f-id-hint' + (idErr ? ' f-id-error' : '')}
              aria-invalid=${idErr ? 'true' : undefined} onInput=${(e) => this.set('id', e.target.value)} /></div>
          <div class="field"><label for="f-kind">${t('kind')}</label>
            <select id="f-kind" value=${item.kind} disabled=${!!id || ro} onChange=${(e) => this.set('kind', e.target.value)}>
              ${KINDS.map((k) => html`<option value=${k}>${kindLabel(k)}</option>`)}</select></div>
          <div class="field"><label for="f-area">${t('area')}</label>
            <select id="f-area" value=${item.area || ''} disabled=${ro} onChange=${(e) => this.set('area', e.target.value)}>
              <option value="">–</option>
              ${areas.map((a) => html`<option value=${a.id}>${(a.name[getLang()] || a.name.fi || a.name.sv || a.name.en)} (${a.city})</option>`)}</select></div>
        </div>
        ${fieldsOf(item.kind).map((f) => this.fieldInput(f, ro))}
        ${!ro && html`<p class="actions"><button type="submit" class="primary">${t('saveItem')}</button>
          ${id && html`<button type="button" class="danger" onClick=${this.remove}>${t('deleteItem')}</button>`}</p>`}
      </form>
      <${CardPreview} item=${item} onErrors=${this.previewErrors} />`;
  }
}
