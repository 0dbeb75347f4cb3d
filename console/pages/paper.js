// Entering paper ballots: choose the ballot, type the serial printed on the paper,
// tick the projects marked on it.  The same rule as the kiosk's ballot: a project that
// would pass the most picks or the budget cannot be ticked, and too few picks are
// refused; the server checks everything again and refuses a serial entered twice.
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf, Field } from '../ui.js';

const text = (o, id) => (o && (o[getLang()] || o.fi || o.sv || o.en)) || id;
const eur = (n) => new Intl.NumberFormat(getLang() === 'en' ? 'en-GB' : getLang() + '-FI').format(n) + ' €';

// Picks per voter and budget from the ballot's rule, as core/ballot.c reads them.
function ruleOf(b) {
  const r = b.rule || {};
  const n = (b.projects || []).length;
  if (r.type === 'knapsack') return { min: r.min || 1, max: n, budget: r.budget || 0 };
  return { min: r.min || 1, max: r.max || n, budget: 0 };
}

export class PaperPage extends Component {
  state = { ids: null, id: '', ballot: null, version: 0, serial: '', picks: [], errors: [], notice: '' };

  componentDidMount() { this.load(); }

  fail(err) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err), notice: '' });
  }

  async load() {
    try {
      const r = await get('docs?type=ballot');
      const ids = [];
      for (const d of r.docs) if (!ids.some((x) => x.id === d.id)) ids.push({ id: d.id, title: d.title });
      this.setState({ ids });
    } catch (err) { this.fail(err); }
  }

  choose = async (id) => {
    this.setState({ id, ballot: null, picks: [], errors: [], notice: '' });
    if (!id) return;
    try {
      const r = await get('ballots/' + encodeURIComponent(id));
      this.setState({ ballot: r.ballot, version: r.version });
    } catch (err) { this.fail(err); }
  };

  total(picks) {
    const ps = this.state.ballot.projects;
    return picks.reduce((s, id) => s + ps.find((p) => p.id === id).cost, 0);
  }

  // Why ticking project p now would break the rule ('' when it would not).
  blocked(p) {
    const { picks } = this.state;
    if (picks.includes(p.id)) return '';
    const rule = ruleOf(this.state.ballot);
    if (picks.length >= rule.max) return t('paperMaxReached', rule.max);
    if (rule.budget && this.total(picks) + p.cost > rule.budget) return t('paperOverBudget');
    return '';
  }

  toggle = (id) => {
    const picks = this.state.picks.includes(id) ? this.state.picks.filter((x) => x !== id)
      : this.state.picks.concat(id);
    this.setState({ picks });
  };

  save = async (e) => {
    e.preventDefault();
    const { id, ballot, serial, picks } = this.state;
    const errors = [];
    if (!id || !ballot) errors.push({ field: 'p-ballot', text: t('paperChooseBallot') });
    if (!serial.trim()) errors.push({ field: 'p-serial', text: t('paperNeedSerial') });
    if (ballot && picks.length < ruleOf(ballot).min) errors.push({ field: 'p-projects', text: t('paperTooFew', ruleOf(ballot).min) });
    if (errors.length) { this.setState({ errors, notice: '' }); return; }
    // in ballot order, like a kiosk's ballot
    const ordered = ballot.projects.map((p) => p.id).filter((x) => picks.includes(x));
    try {
      await post('ballots/' + encodeURIComponent(id) + '/paper', { serial: serial.trim(), picks: ordered });
      this.setState({ serial: '', picks: [], errors: [], notice: t('paperSaved', serial.trim()) }, () => {
        const f = document.getElementById('p-serial');
        if (f) f.focus();
      });
    } catch (err) {
      if (err.status === 409) this.setState({ errors: [{ field: 'p-serial', text: t('paperDuplicate', serial.trim()) }], notice: '' });
      else if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err, { serial: 'p-serial', picks: 'p-projects' }), notice: '' });
    }
  };

  renderProjects() {
    const { ballot, picks, errors } = this.state;
    const rule = ruleOf(ballot);
    const err = errors.find((x) => x.field === 'p-projects');
    const total = this.total(picks);
    return html`<fieldset class=${'field' + (err ? ' field-error' : '')} aria-describedby="p-rule p-running">
      <legend id="p-projects" tabindex="-1">${t('paperProjects')}</legend>
      <p class="hint" id="p-rule">${rule.budget ? t('paperRuleBudget', rule.min, eur(rule.budget))
        : t('paperRuleCount', rule.min, rule.max)}</p>
      ${err && html`<p class="error-text">${err.text}</p>`}
      <ul class="picks">${ballot.projects.map((p) => {
        const why = this.blocked(p);
        const hid = 'pp-' + p.id + '-why';
        return html`<li class="check"><input type="checkbox" id=${'pp-' + p.id} checked=${picks.includes(p.id)}
            disabled=${!!why} aria-describedby=${why ? hid : undefined} onChange=${() => this.toggle(p.id)} />
          <label for=${'pp-' + p.id}>${text(p.title, p.id)} <span class="cost">${eur(p.cost)}</span></label>
          ${why && html`<span class="hint" id=${hid}>${why}</span>`}</li>`;
      })}</ul>
      <p id="p-running" role="status">${rule.budget ? t('paperRunningBudget', picks.length, eur(total), eur(rule.budget))
        : t('paperRunningCount', picks.length, rule.max)}</p>
    </fieldset>`;
  }

  render(_, { ids, id, ballot, version, serial, errors, notice }) {
    const bErr = errors.find((x) => x.field === 'p-ballot');
    const sErr = errors.find((x) => x.field === 'p-serial');
    return html`<h1 tabindex="-1">${t('paperTitle')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <p>${t('paperIntro')}</p>
      ${ids === null ? html`<p>${t('loading')}</p>` : !ids.length ? html`<p>${t('noDocs')}</p>` : html`
      <form class="narrow" onSubmit=${this.save} novalidate>
        <div class=${'field' + (bErr ? ' field-error' : '')}>
          <label for="p-ballot">${t('paperBallot')}</label>
          ${bErr && html`<p class="error-text">${bErr.text}</p>`}
          <select id="p-ballot" value=${id} onChange=${(e) => this.choose(e.target.value)}>
            <option value="">${t('paperChoose')}</option>
            ${ids.map((d) => html`<option value=${d.id}>${text(d.title, d.id)} (${d.id})</option>`)}
          </select></div>
        ${ballot && html`<p class="hint">${t('paperVersion', version)}</p>`}
        <${Field} id="p-serial" label=${t('paperSerial')} hint=${t('paperSerialHint')} value=${serial}
          error=${sErr && sErr.text} autocomplete="off" onInput=${(v) => this.setState({ serial: v })} />
        ${ballot && this.renderProjects()}
        <button type="submit" class="primary">${t('paperSave')}</button>
      </form>`}
      <h2>${t('paperSecrecyTitle')}</h2>
      <p>${t('paperSecrecy')}</p>`;
  }
}
