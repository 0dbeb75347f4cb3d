// Sources: the open-data imports (docs/sources.md).  Each source with its settings
// from the server's sources file, its keyword map, the last runs from the run log,
// and "Run now", which starts an import on the server; while one runs the page asks
// again every second and shows its progress, then its outcome, without a reload.
import { html, Component } from '../lib.js';
import { t, fmtTime } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf } from '../ui.js';

const POLL_MS = 1000;

function Outcome({ run }) {
  // Shape and word as well as colour, like the kiosks' health.
  const [cls, mark, key] = !run.ok ? ['red', '■', 'runFailed']
    : run.not_modified ? ['green', '●', 'runNotModified'] : ['green', '●', 'runOk'];
  return html`<span class=${'status status-' + cls}><span aria-hidden="true">${mark} </span>${t(key)}</span>`;
}

function Config({ name, c }) {
  const kw = Object.entries(c.keywords || {});
  return html`<dl class="settings">
      <dt>${t('srcUrl')}</dt><dd><code>${c.url}</code></dd>
      ${name === 'linkedevents' && html`<dt>${t('srcPublisher')}</dt><dd>${c.publisher || t('srcAllPublishers')}</dd>
      <dt>${t('srcDays')}</dt><dd>${t('srcDaysN', c.days)}</dd>`}
      <dt>${t('srcRules')}</dt><dd><code>${c.rules}</code>${c.rules_error && html` <span class="error-text">${c.rules_error}</span>`}</dd>
      <dt>${t('srcLimits')}</dt><dd>${t('srcLimitsText', c.timeout, c.retries, Math.round(c.deadline / 60))}</dd>
    </dl>
    ${kw.length > 0 && html`<details>
      <summary>${t('srcKeywords', kw.length)}</summary>
      <table class="data compact">
        <caption class="visually-hidden">${t('srcKeywords', kw.length)}</caption>
        <thead><tr><th scope="col">${t('srcKeyword')}</th><th scope="col">${t('srcTheme')}</th></tr></thead>
        <tbody>${kw.map(([k, v]) => html`<tr><td><code>${k}</code></td><td>${v}</td></tr>`)}</tbody>
      </table></details>`}`;
}

function Runs({ name, runs }) {
  if (!runs.length) return html`<p>${t('srcNoRuns')}</p>`;
  const cap = 'runs-' + name;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby=${cap}>
    <table class="data">
      <caption id=${cap}>${t('srcRuns')}<span class="visually-hidden">: ${t('src_' + name)}</span></caption>
      <thead><tr><th scope="col">${t('when')}</th><th scope="col">${t('srcOutcome')}</th>
        <th scope="col" class="num">${t('srcAdded')}</th><th scope="col" class="num">${t('srcChanged')}</th>
        <th scope="col" class="num">${t('srcRemoved')}</th><th scope="col" class="num">${t('srcRecords')}</th>
        <th scope="col">${t('srcErrors')}</th></tr></thead>
      <tbody>${runs.map((r) => html`<tr data-run=${r.id} data-ok=${r.ok ? '1' : '0'}>
        <td>${fmtTime(r.started)}</td><td><${Outcome} run=${r} /></td>
        <td class="num">${r.added}</td><td class="num">${r.changed}</td><td class="num">${r.removed}</td>
        <td class="num">${r.records}</td>
        <td class="run-error">${r.error || r.notes || '–'}</td></tr>`)}</tbody>
    </table></div>`;
}

export class SourcesPage extends Component {
  state = { sources: null, errors: [], said: {} };

  componentDidMount() { this.load(); }
  componentWillUnmount() { clearTimeout(this.timer); this.gone = true; }

  async load() {
    clearTimeout(this.timer);
    try {
      const r = await get('sources');
      if (this.gone) return;
      // What was said next to a button lasts while its run does.
      const said = {};
      for (const src of r.sources) if (src.running && this.state.said[src.name]) said[src.name] = this.state.said[src.name];
      this.setState({ sources: r.sources, said });
      if (r.sources.some((s) => s.running)) this.timer = setTimeout(() => this.load(), POLL_MS);
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  run = async (name) => {
    const said = { ...this.state.said };
    try {
      await post('sources/' + encodeURIComponent(name) + '/run');
      said[name] = t('srcStarted');
      this.setState({ said, errors: [] });
    } catch (err) {
      if (err.status === 401) { this.props.onExpired(); return; }
      // 409: running already (or not configured): said next to the button, not an error of the page.
      if (err.status === 409) { said[name] = /running/.test(err.message) ? t('srcAlreadyRunning') : err.message; this.setState({ said }); }
      else this.setState({ errors: errorsOf(err) });
    }
    this.load();
  };

  status(s) {
    if (s.running) {
      const p = s.progress;
      return html`<p class="running"><span aria-hidden="true">◌ </span>${t('srcRunning', p.pages, p.records, p.by || '–', fmtTime(p.started))}</p>`;
    }
    const last = s.runs[0];
    if (!last) return null;
    return html`<p><strong>${t('srcLast')}:</strong> <${Outcome} run=${last} />, ${fmtTime(last.finished)}.${' '}
      ${t('srcCounts', last.added, last.changed, last.removed, last.unchanged)}</p>
      ${last.error && html`<p class="error-text">${last.error}</p>`}`;
  }

  render({ user }, { sources, errors, said }) {
    const may = user.role === 'administrator' || user.role === 'editor';
    return html`<h1 tabindex="-1">${t('sources')}</h1>
      <${ErrorSummary} errors=${errors} />
      <p class="lead">${t('srcIntro')}</p>
      ${sources === null ? html`<p>${t('loading')}</p>` : sources.length === 0 ? html`<p>${t('srcNone')}</p>`
        : sources.map((s) => html`<section class="source" data-source=${s.name} aria-labelledby=${'src-' + s.name}>
        <h2 id=${'src-' + s.name}>${t('src_' + s.name)}</h2>
        ${s.configured ? html`<${Config} name=${s.name} c=${s.config} />` : html`<p>${t('srcNotConfigured')}</p>`}
        <div class="src-status" role="status" aria-live="polite" id=${'status-' + s.name}>
          ${this.status(s)}
          ${said[s.name] && html`<p class="said">${said[s.name]}</p>`}
        </div>
        ${may && s.configured && html`<p><button type="button" class="primary" aria-describedby=${'status-' + s.name}
          onClick=${() => this.run(s.name)}>${t('srcRunNow')}<span class="visually-hidden">: ${t('src_' + s.name)}</span></button></p>`}
        <${Runs} name=${s.name} runs=${s.runs} />
      </section>`)}`;
  }
}
