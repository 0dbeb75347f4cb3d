// A ballot's count in the console: the rule in words, every project with its votes and
// why it won or lost, spent and left of the budget, and the double-use report.  The
// secret tally key, when the administrator holds it, is sent for this one count only;
// the page forgets it as soon as the count returns and the server never stores it.
import { html, Component } from '../lib.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { ErrorSummary, errorsOf, Field } from '../ui.js';
import { BarChart } from '../charts.js';

const text = (o, id) => (o && (o[getLang()] || o.fi || o.sv || o.en)) || id;
const num = (n) => new Intl.NumberFormat(getLang() === 'en' ? 'en-GB' : getLang() + '-FI').format(n);

export class TallyPage extends Component {
  state = { ids: null, id: '', key: '', result: null, errors: [], busy: false };

  componentDidMount() { this.load(); }

  fail(err) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, { key: 't-key', lang: 't-ballot', method: 't-ballot' }), busy: false });
  }

  async load() {
    try {
      const r = await get('docs?type=ballot');
      const ids = [];
      for (const d of r.docs) if (!ids.some((x) => x.id === d.id)) ids.push({ id: d.id, title: d.title });
      this.setState({ ids });
    } catch (err) { this.fail(err); }
  }

  count = async (e) => {
    e.preventDefault();
    const { id, key } = this.state;
    if (!id) { this.setState({ errors: [{ field: 't-ballot', text: t('paperChooseBallot') }] }); return; }
    const body = { lang: getLang() };
    if (key.trim()) body.key = key.trim();
    this.setState({ busy: true, errors: [] });
    try {
      const result = await post('ballots/' + encodeURIComponent(id) + '/tally', body);
      // the key is not kept once it has been used
      this.setState({ result, key: '', busy: false }, () => {
        const h = document.getElementById('t-result');
        if (h) h.focus();
      });
    } catch (err) { this.setState({ key: '' }); this.fail(err); }
  };

  renderResult(r) {
    const s = r.summary;
    const winners = r.projects.filter((p) => p.winner);
    return html`<section aria-labelledby="t-result">
      <h2 id="t-result" tabindex="-1">${t('tallyResultOf', r.title)}</h2>
      <p>${t('tallyCounted', num(s.ballots), num(s.ballots_code), num(s.ballots_staff), num(s.ballots_paper), num(s.invalid))}</p>
      ${s.judged_earlier > 0 && html`<p>${t('tallyJudgedEarlier', num(s.judged_earlier))}</p>`}
      ${s.budget > 0 && html`<p>${t('tallyBudget', num(s.budget), num(s.spent), num(s.budget - s.spent))}</p>`}
      <h3>${t('tallyRule')}</h3>
      <p class="rule-text">${r.rule}</p>
      <h3>${t('tallyWinnersList')}</h3>
      ${winners.length ? html`<ul id="t-winners">${winners.map((p) => html`<li>${p.title} (${num(p.cost)} €, ${num(p.votes)} ${t('tallyVotes').toLowerCase()})</li>`)}</ul>`
        : html`<p>${t('tallyNoWinners')}</p>`}
      ${s.budget > 0 && html`<div class="chart-pair">
        <${BarChart} label=${t('chartOfTable', t('tallySpentLeft'))} total=${s.budget}
          rows=${[{ label: t('tallySpent'), value: s.spent, colour: '#0b3d91' }, { label: t('tallyLeft'), value: Math.max(0, s.budget - s.spent), colour: '#8c8c8c' }]} />
        <table class="data" id="t-budget"><caption>${t('tallySpentLeft')}</caption>
          <tbody><tr><th scope="row">${t('tallySpentLeft')}</th><td class="num">${num(s.budget)} €</td></tr>
            <tr><th scope="row">${t('tallySpent')}</th><td class="num">${num(s.spent)} €</td></tr>
            <tr><th scope="row">${t('tallyLeft')}</th><td class="num">${num(s.budget - s.spent)} €</td></tr></tbody>
        </table></div>`}
      <h3>${t('tallyVotesChart')}</h3>
      <${BarChart} label=${t('chartOfTable', t('tallyVotesChart'))}
        rows=${r.projects.map((p) => ({ label: p.title, value: p.votes, colour: p.winner ? '#0b3d91' : '#8c8c8c' }))} />
      <table class="data">
        <caption>${t('tallyProjects')}</caption>
        <thead><tr><th scope="col">${t('tallyRank')}</th><th scope="col">${t('tallyProject')}</th>
          <th scope="col" class="num">${t('tallyCost')}</th><th scope="col" class="num">${t('tallyVotes')}</th>
          <th scope="col">${t('tallyOutcome')}</th><th scope="col">${t('tallyWhy')}</th></tr></thead>
        <tbody>${r.projects.map((p) => html`<tr data-project=${p.id}>
          <td class="num">${p.rank}</td><th scope="row">${p.title}</th>
          <td class="num">${num(p.cost)} €</td>
          <td class="num">${num(p.votes)}${p.votes_paper ? html` <span class="hint">(${t('tallyOnPaper', num(p.votes_paper))})</span>` : ''}</td>
          <td>${p.winner ? html`<strong>${t('tallyWinner')}</strong>` : t('tallyNotWinner')}${p.tied ? ' ' + t('tallyTie') : ''}</td>
          <td>${p.why}</td></tr>`)}</tbody>
      </table>
      <h3>${t('tallyDoubleUse')}</h3>
      <ul class="report">${r.double_use.split('\n').filter((l) => l).map((l) => html`<li>${l}</li>`)}</ul>
      <p class="hint">${r.key_used ? t('tallyKeyUsed') : t('tallyNoKey')}</p>
    </section>`;
  }

  render(_, { ids, id, key, result, errors, busy }) {
    const bErr = errors.find((x) => x.field === 't-ballot');
    const kErr = errors.find((x) => x.field === 't-key');
    return html`<h1 tabindex="-1">${t('tallyTitle')}</h1>
      <${ErrorSummary} errors=${errors} />
      <p>${t('tallyIntro')}</p>
      ${ids === null ? html`<p>${t('loading')}</p>` : !ids.length ? html`<p>${t('noDocs')}</p>` : html`
      <form class="narrow" onSubmit=${this.count} novalidate>
        <div class=${'field' + (bErr ? ' field-error' : '')}>
          <label for="t-ballot">${t('paperBallot')}</label>
          ${bErr && html`<p class="error-text">${bErr.text}</p>`}
          <select id="t-ballot" value=${id} onChange=${(e) => this.setState({ id: e.target.value, result: null, errors: [] })}>
            <option value="">${t('paperChoose')}</option>
            ${ids.map((d) => html`<option value=${d.id}>${text(d.title, d.id)} (${d.id})</option>`)}
          </select></div>
        <${Field} id="t-key" type="password" label=${t('tallyKey')} hint=${t('tallyKeyHint')} value=${key}
          error=${kErr && kErr.text} autocomplete="off" onInput=${(v) => this.setState({ key: v })} />
        <button type="submit" class="primary" disabled=${busy}>${busy ? t('tallyCounting') : t('tallyCount')}</button>
      </form>`}
      ${result && this.renderResult(result)}`;
  }
}
