import { html, Component } from '../lib.js';
import { t, fmtTime } from '../i18n.js';
import { get, post } from '../api.js';
import { Field, ErrorSummary, errorsOf, Status } from '../ui.js';
import { KioskSettings } from './kiosk-settings.js';

export class KiosksPage extends Component {
  state = { kiosks: null, name: '', errors: [], added: null, editing: null };

  componentDidMount() { this.load(); }

  async load() {
    try {
      const r = await get('kiosks');
      this.setState({ kiosks: r.kiosks });
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  }

  add = async (e) => {
    e.preventDefault();
    try {
      const r = await post('kiosks', { name: this.state.name });
      this.setState({ added: r, name: '', errors: [] }, () => {
        const el = document.getElementById('token-title');
        if (el) el.focus();
      });
      this.load();
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err, { name: 'kiosk-name' }) });
    }
  };

  revoke = async (name) => {
    if (!window.confirm(t('revokeConfirm', name))) return;
    try {
      await post('kiosks/' + encodeURIComponent(name) + '/revoke');
      this.load();
    } catch (err) {
      if (err.status === 401) this.props.onExpired();
      else this.setState({ errors: errorsOf(err) });
    }
  };

  render({ user, onExpired }, { kiosks, name, errors, added, editing }) {
    const admin = user.role === 'administrator';
    // Coordinators change the settings of their kiosks; the server checks which.
    const canSet = admin || user.role === 'coordinator';
    const fe = (id) => (errors.find((e) => e.field === id) || {}).text;
    return html`<h1 tabindex="-1">${t('kiosks')}</h1>
      <${ErrorSummary} errors=${errors} />
      ${added && html`<section class="panel token" aria-labelledby="token-title">
        <h2 id="token-title" tabindex="-1">${added.name}</h2>
        <p>${t('tokenOnce', added.name)}</p>
        <p><code class="token-text" data-token>${added.token}</code></p>
        <img class="qr" alt=${t('qrAlt')} src=${'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(added.qr_svg)} width="240" height="240" />
        <p><button type="button" onClick=${() => this.setState({ added: null })}>${t('done')}</button></p>
      </section>`}
      ${kiosks === null ? html`<p>${t('loading')}</p>` : kiosks.length === 0 ? html`<p>${t('noKiosks')}</p>` : html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="kiosk-caption">
      <table class="data">
        <caption id="kiosk-caption">${t('kiosks')}</caption>
        <thead><tr>
          <th scope="col">${t('name')}</th><th scope="col">${t('health')}</th>
          <th scope="col">${t('lastSeen')}</th><th scope="col">${t('version')}</th>
          <th scope="col" class="num">${t('catalogRev')}</th><th scope="col" class="num">${t('outbox')}</th>
          <th scope="col">${t('setAside')}</th><th scope="col">${t('lastError')}</th>${canSet && html`<th scope="col">${t('actions')}</th>`}
        </tr></thead>
        <tbody>${kiosks.map((k) => html`<tr data-kiosk=${k.name}>
          <th scope="row">${k.name}</th>
          <td data-health=${k.health}><${Status} health=${k.health} /></td>
          <td>${fmtTime(k.last_seen)}</td><td>${k.version || '–'}</td>
          <td class="num">${k.catalog_rev}</td><td class="num">${k.outbox_depth}</td>
          <td data-aside=${k.set_aside}>${k.set_aside ? html`${k.set_aside}: ${k.set_aside_reason}` : '–'}</td>
          <td>${k.last_error || '–'}</td>
          ${canSet && html`<td class="row-actions"><button type="button" aria-label=${t('settings') + ' ' + k.name}
            onClick=${() => this.setState({ editing: k.name })}>${t('settings')}</button>
          ${admin && k.health !== 'revoked' && html` <button type="button" class="danger"
            aria-label=${t('revoke') + ' ' + k.name} onClick=${() => this.revoke(k.name)}>${t('revoke')}</button>`}</td>`}
        </tr>`)}</tbody>
      </table></div>`}
      ${editing && html`<${KioskSettings} key=${editing} name=${editing} canEdit=${canSet} onExpired=${onExpired}
        onClose=${() => this.setState({ editing: null })} />`}
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">${t('rulesTitle')}</h2>
        <ul class="rules">
          <li><${Status} health="red" />: ${t('rule_red').split(': ').slice(1).join(': ')}</li>
          <li><${Status} health="amber" />: ${t('rule_amber').split(': ').slice(1).join(': ')}</li>
          <li><${Status} health="green" />: ${t('rule_green').split(': ').slice(1).join(': ')}</li>
        </ul>
      </section>
      ${admin && html`<section aria-labelledby="add-title">
        <h2 id="add-title">${t('addKiosk')}</h2>
        <form class="narrow" onSubmit=${this.add} novalidate>
          <${Field} id="kiosk-name" label=${t('kioskName')} hint=${t('kioskNameHint')} value=${name}
            error=${fe('kiosk-name')} onInput=${(v) => this.setState({ name: v })} />
          <button type="submit" class="primary">${t('add')}</button>
        </form>
      </section>`}`;
  }
}
