// Surveys, workshops and ballots: what is published, by version, and uploading a new
// file (survey, ballot, or a ballot's voter-code hashes made with kioskctl).
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';
import { Publishing } from './publish.js';

const canUpload = (user) => user.role === 'administrator' || user.role === 'coordinator';
const title = (d) => (d.title && (d.title[getLang()] || d.title.fi || d.title.sv || d.title.en)) || d.id;

function DocTable({ docs, caption, id }) {
  if (!docs.length) return html`<p>${t('noDocs')}</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby=${id}>
    <table class="data"><caption id=${id} class="visually-hidden">${caption}</caption>
      <thead><tr><th scope="col">${t('title')}</th><th scope="col">${t('id')}</th>
        <th scope="col" class="num">${t('version')}</th><th scope="col" class="num">${t('revision')}</th></tr></thead>
      <tbody>${docs.map((d) => html`<tr data-doc=${d.id + '@' + d.version}>
        <th scope="row">${title(d)}</th><td><code>${d.id}</code></td><td class="num">${d.version}</td><td class="num">${d.rev}</td></tr>`)}</tbody>
    </table></div>`;
}

export class DocsPage extends Component {
  state = { surveys: null, ballots: null, type: 'survey', text: '', name: '', errors: [], notice: '' };

  componentDidMount() { this.load(); }

  async load() {
    try {
      const [s, b] = await Promise.all([get('docs?type=survey'), get('docs?type=ballot')]);
      this.setState({ surveys: s.docs, ballots: b.docs });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  pick = (e) => {
    const f = e.target.files[0];
    if (f) f.text().then((text) => this.setState({ text, name: f.name }));
  };

  upload = async (e) => {
    e.preventDefault();
    if (!this.state.text) { this.setState({ errors: [{ field: 'd-file', text: t('chooseFile') }], notice: '' }); return; }
    try {
      const r = await post('docs/import?type=' + this.state.type, this.state.text);
      this.setState({ errors: [], notice: t('docResult_' + r.result, r.id, r.version, r.codes_added, r.codes_total) });
      this.load();
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err), notice: '' });
    }
  };

  render({ user }, { surveys, ballots, type, errors, notice }) {
    return html`<h1 tabindex="-1">${t('docs')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <h2>${t('surveys')}</h2>
      ${surveys === null ? html`<p>${t('loading')}</p>` : html`<${DocTable} docs=${surveys} caption=${t('surveys')} id="sv-caption" />`}
      <h2>${t('ballots')}</h2>
      ${ballots === null ? html`<p>${t('loading')}</p>` : html`<${DocTable} docs=${ballots} caption=${t('ballots')} id="bl-caption" />`}
      <p>${t('publishAll')}</p>
      ${surveys && ballots && html`<${Publishing} surveys=${surveys} ballots=${ballots} canEdit=${canUpload(user)}
        onExpired=${this.props.onExpired} onSaved=${() => this.load()} />`}
      ${canUpload(user) && html`<section aria-labelledby="up-title">
        <h2 id="up-title">${t('uploadDoc')}</h2>
        <form class="narrow" onSubmit=${this.upload}>
          <div class="field"><label for="d-type">${t('docType')}</label>
            <select id="d-type" value=${type} onChange=${(e) => this.setState({ type: e.target.value })}>
              <option value="survey">${t('type_survey')}</option>
              <option value="ballot">${t('type_ballot')}</option>
              <option value="codes">${t('type_codes')}</option>
            </select></div>
          <div class=${'field' + (errors.some((x) => x.field === 'd-file') ? ' field-error' : '')}>
            <label for="d-file">${t('file')}</label>
            <input id="d-file" type="file" accept=".json,application/json" onChange=${this.pick} /></div>
          <button type="submit" class="primary">${t('uploadPublish')}</button>
        </form>
      </section>`}
      <section aria-labelledby="codes-title">
        <h2 id="codes-title">${t('codesTitle')}</h2>
        <p>${t('codesWhy')}</p>
        <ol class="steps">
          <li>${t('codesStep1')}<pre><code>kioskctl --db codes.db ballot import BALLOT.json
kioskctl --db codes.db ballot codes --ballot BALLOT-ID --count 500 \\
    --out sheet.pdf --hashes codes.json</code></pre></li>
          <li>${t('codesStep2')}</li>
          <li>${t('codesStep3')}</li>
        </ol>
      </section>`;
  }
}
