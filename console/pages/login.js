import { html, Component } from '../lib.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { Field, ErrorSummary, errorsOf } from '../ui.js';

export class LoginPage extends Component {
  state = { name: '', password: '', errors: [], busy: false };

  submit = async (e) => {
    e.preventDefault();
    const { name, password } = this.state;
    const errors = [];
    if (!name) errors.push({ field: 'login-name', text: `${t('name')}: ?` });
    if (!password) errors.push({ field: 'login-password', text: `${t('password')}: ?` });
    if (errors.length) { this.setState({ errors }); return; }
    this.setState({ busy: true });
    try {
      const me = await post('login', { name, password });
      this.props.onLogin(me);
    } catch (err) {
      // The two answers a person meets most, in the page's language.
      let errors;
      if (err.status === 401) errors = [{ field: 'login-password', text: t('wrongLogin') }];
      else if (err.status === 429) errors = [{ field: null, text: t('throttled', err.retryAfter) }];
      else errors = errorsOf(err, { name: 'login-name', password: 'login-password' });
      this.setState({ errors, busy: false, password: '' });
    }
  };

  render({ notice }, { name, password, errors, busy }) {
    const fe = (id) => (errors.find((e) => e.field === id) || {}).text;
    return html`<h1 tabindex="-1">${t('login')}</h1>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <${ErrorSummary} errors=${errors} />
      <form class="narrow" onSubmit=${this.submit} novalidate>
        <${Field} id="login-name" label=${t('name')} value=${name} autocomplete="username"
          error=${fe('login-name')} onInput=${(v) => this.setState({ name: v })} />
        <${Field} id="login-password" type="password" label=${t('password')} value=${password}
          autocomplete="current-password" error=${fe('login-password')} onInput=${(v) => this.setState({ password: v })} />
        <button type="submit" class="primary" disabled=${busy}>${t('login')}</button>
      </form>`;
  }
}
