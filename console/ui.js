// Shared pieces of every page: labelled fields with their error next to them and an
// error summary on top that links to each field (GOV.UK / Suomi.fi patterns).
import { html, Component } from './lib.js';
import { t } from './i18n.js';

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

// An API error as summary rows; fieldIds maps API field names to input ids.
export function errorsOf(err, fieldIds = {}) {
  if (err.fields) return err.fields.map((f) => ({ field: fieldIds[f.field] || null, text: f.error }));
  return [{ field: err.field ? fieldIds[err.field] || null : null, text: err.message }];
}

export function Status({ health }) {
  // Shape and word as well as colour: the meaning never rests on colour alone.
  const mark = { green: '●', amber: '▲', red: '■', revoked: '✕' }[health] || '?';
  return html`<span class=${'status status-' + health}><span aria-hidden="true">${mark} </span>${t('h_' + health)}</span>`;
}
