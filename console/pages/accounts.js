import { html, Component } from '../lib.js';
import { t, fmtTime } from '../i18n.js';
import { get, post } from '../api.js';
import { Field, ErrorSummary, errorsOf } from '../ui.js';

const ROLES = ['administrator', 'editor', 'coordinator', 'viewer'];
const IDS = { name: 'acc-name', role: 'acc-role', password: 'acc-password', kiosks: 'acc-kiosks' };

export class AccountsPage extends Component {
  state = { users: null, name: '', role: 'viewer', password: '', kiosks: '', errors: [], notice: '' };

  componentDidMount() { this.load(); }

  fail(err, ids) {
    if (err.status === 401) this.props.onExpired();
    else this.setState({ errors: errorsOf(err, ids), notice: '' });
  }

  async load() {
    try { this.setState({ users: (await get('users')).users }); } catch (err) { this.fail(err); }
  }

  add = async (e) => {
    e.preventDefault();
    const { name, role, password, kiosks } = this.state;
    try {
      await post('users', { name, role, password, kiosks: role === 'coordinator' ? kiosks : '' });
      this.setState({ name: '', password: '', kiosks: '', errors: [], notice: t('saved') });
      this.load();
    } catch (err) { this.fail(err, IDS); }
  };

  setRole = async (u, role) => {
    try {
      await post('users/' + encodeURIComponent(u.name), { role });
      this.setState({ errors: [], notice: t('saved') });
    } catch (err) { this.fail(err); }
    this.load();
  };

  toggle = async (u) => {
    try {
      await post('users/' + encodeURIComponent(u.name), { disabled: !u.disabled });
      this.setState({ errors: [], notice: t('saved') });
      this.load();
    } catch (err) { this.fail(err); }
  };

  render(_, { users, name, role, password, kiosks, errors, notice }) {
    const fe = (id) => (errors.find((e) => e.field === id) || {}).text;
    return html`<h1 tabindex="-1">${t('accounts')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      ${users === null ? html`<p>${t('loading')}</p>` : html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="acc-caption">
      <table class="data">
        <caption id="acc-caption">${t('accounts')}</caption>
        <thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('role')}</th>
          <th scope="col">${t('kiosks')}</th><th scope="col">${t('status')}</th><th scope="col">${t('actions')}</th></tr></thead>
        <tbody>${users.map((u) => html`<tr data-user=${u.name}>
          <th scope="row">${u.name}</th>
          <td><select aria-label=${t('roleOf', u.name)} value=${u.role} onChange=${(e) => this.setRole(u, e.target.value)}>
            ${ROLES.map((r) => html`<option value=${r}>${t('role_' + r)}</option>`)}</select></td>
          <td>${u.kiosks || t('allKiosks')}</td><td>${u.disabled ? t('disabled') : t('active')}</td>
          <td><button type="button" aria-label=${(u.disabled ? t('enable') : t('disable')) + ' ' + u.name}
            onClick=${() => this.toggle(u)}>${u.disabled ? t('enable') : t('disable')}</button></td>
        </tr>`)}</tbody>
      </table></div>`}
      <section aria-labelledby="acc-add-title">
        <h2 id="acc-add-title">${t('addAccount')}</h2>
        <form class="narrow" onSubmit=${this.add} novalidate>
          <${Field} id="acc-name" label=${t('name')} value=${name} error=${fe('acc-name')}
            autocomplete="off" onInput=${(v) => this.setState({ name: v })} />
          <div class=${'field' + (fe('acc-role') ? ' field-error' : '')}>
            <label for="acc-role">${t('role')}</label>
            <select id="acc-role" value=${role} onChange=${(e) => this.setState({ role: e.target.value })}>
              ${ROLES.map((r) => html`<option value=${r}>${t('role_' + r)}</option>`)}
            </select>
          </div>
          ${role === 'coordinator' && html`<${Field} id="acc-kiosks" label=${t('kioskLimit')} value=${kiosks}
            error=${fe('acc-kiosks')} onInput=${(v) => this.setState({ kiosks: v })} />`}
          <${Field} id="acc-password" type="password" label=${t('password')} hint=${t('pwHint')} value=${password}
            autocomplete="new-password" error=${fe('acc-password')} onInput=${(v) => this.setState({ password: v })} />
          <button type="submit" class="primary">${t('add')}</button>
        </form>
      </section>`;
  }
}
