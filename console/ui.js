// Shared pieces of every page: labelled fields with their error next to them and an
// error summary on top that links to each field (GOV.UK / Suomi.fi patterns).
import { html, Component } from './lib.js';
import { t, TABLE } from './i18n.js';

export function Field({ id, label, hint, error, type = 'text', value, onInput, autocomplete, required }) {
  const describedBy = [hint ? id + '-hint' : '', error ? id + '-error' : ''].filter(Boolean).join(' ');
  return html`<div class=${'field' + (error ? ' field-error' : '')}>
    <label for=${id}>${label}</label>
    ${hint && html`<p class="hint" id=${id + '-hint'}>${hint}</p>`}
    ${error && html`<p class="error-text" id=${id + '-error'}><span class="visually-hidden">${t('errorsTitle')}: </span>${error}</p>`}
    <input id=${id} name=${id} type=${type} value=${value} autocomplete=${autocomplete}
      required=${required} aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${describedBy || undefined}
      onInput=${(e) => onInput(e.target.value)} />
  </div>`;
}

// errors: [{field: 'input-id' or null, text}]
export class ErrorSummary extends Component {
  componentDidMount() { this.focus(); }
  componentDidUpdate(prev) { if (prev.errors !== this.props.errors) this.focus(); }
  focus() { if (this.el && this.props.errors.length) this.el.focus(); }
  render({ errors }) {
    if (!errors.length) return null;
    return html`<div class="error-summary" role="alert" tabindex="-1" ref=${(el) => { this.el = el; }}
        aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">${t('errorsTitle')}</h2>
      <ul>${errors.map((e) => html`<li>${e.field
        ? html`<a href=${'#' + e.field} onClick=${(ev) => { ev.preventDefault(); const f = document.getElementById(e.field); if (f) f.focus(); }}>${e.text}</a>`
        : e.text}</li>`)}</ul>
    </div>`;
  }
}

// Codes that say only what kind of refusal it was: the server's own words follow, in
// brackets, for the detail (which rule, which item).
const GENERIC = new Set(['invalid', 'conflict', 'content_invalid', 'not_found']);

// An API error's text in the console's language, from its stable code (the server's
// English text when the code is one this console does not know).
export function errorText(err) {
  if (!err.code || !TABLE['err_' + err.code]) return err.message;
  return GENERIC.has(err.code) ? `${t('err_' + err.code)} (${err.message})` : t('err_' + err.code);
}

// An API error as summary rows; fieldIds maps API field names to input ids.
export function errorsOf(err, fieldIds = {}) {
  if (err.fields) return err.fields.map((f) => ({ field: fieldIds[f.field] || null, text: f.error }));
  return [{ field: err.field ? fieldIds[err.field] || null : null, text: errorText(err) }];
}

export function Status({ health }) {
  // Shape and word as well as colour: the meaning never rests on colour alone.
  const mark = { green: '●', amber: '▲', red: '■', revoked: '✕' }[health] || '?';
  return html`<span class=${'status status-' + health}><span aria-hidden="true">${mark} </span>${t('h_' + health)}</span>`;
}
