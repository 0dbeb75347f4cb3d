// The console's shell: session, language, navigation by the address's #fragment, and
// one page at a time in <main>.
import { html, render, Component } from './lib.js';
import { t, LANGS, getLang, setLang } from './i18n.js';
import { get, post, setCsrf, ApiError } from './api.js';
import { LoginPage } from './pages/login.js';
import { KiosksPage } from './pages/kiosks.js';
import { AccountsPage } from './pages/accounts.js';
import { AuditPage } from './pages/audit.js';
import { CatalogPage } from './pages/catalog.js';
import { DocsPage } from './pages/docs.js';
import { AreasPage } from './pages/areas.js';
import { FeedbackResultsPage } from './pages/results-feedback.js';
import { SurveyResultsPage } from './pages/results-surveys.js';
import { PaperPage } from './pages/paper.js';
import { SourcesPage } from './pages/sources.js';
import { TallyPage } from './pages/tally.js';
import { WorkshopsPage } from './pages/workshops.js';

// Each page with the roles that see it in the menu (the server checks again).
const PAGES = [
  { path: 'kiosks', title: 'kiosks', page: KiosksPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'catalog', title: 'catalog', page: CatalogPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'areas', title: 'areas', page: AreasPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'docs', title: 'docs', page: DocsPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'feedback', title: 'feedbackResults', page: FeedbackResultsPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'survey-results', title: 'surveyResults', page: SurveyResultsPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'workshops', title: 'workshops', page: WorkshopsPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'paper', title: 'paper', page: PaperPage, roles: ['administrator', 'coordinator'] },
  { path: 'tally', title: 'tally', page: TallyPage, roles: ['administrator', 'coordinator'] },
  { path: 'sources', title: 'sources', page: SourcesPage, roles: ['administrator', 'editor', 'coordinator', 'viewer'] },
  { path: 'accounts', title: 'accounts', page: AccountsPage, roles: ['administrator'] },
  { path: 'audit', title: 'audit', page: AuditPage, roles: ['administrator'] },
];

function route() {
  const h = location.hash.replace(/^#\/?/, '');
  return h.split('?')[0] || 'kiosks';
}
const top = (r) => r.split('/')[0];

class App extends Component {
  constructor() {
    super();
    this.state = { user: null, checked: false, route: route(), lang: getLang(), notice: '' };
  }

  async componentDidMount() {
    setLang(this.state.lang);
    window.addEventListener('hashchange', () => this.setState({ route: route() }, () => this.focusMain()));
    try {
      const me = await get('session');
      setCsrf(me.csrf);
      this.setState({ user: me, checked: true });
    } catch {
      this.setState({ checked: true });
    }
  }

  focusMain() {
    const h1 = document.querySelector('main h1');
    if (h1) h1.focus();
  }

  onLogin = (me) => {
    setCsrf(me.csrf);
    this.setState({ user: me, notice: '' }, () => this.focusMain());
  };

  onExpired = () => this.setState({ user: null, notice: t('sessionEnded') });

  logout = async () => {
    try { await post('logout'); } catch (e) { if (!(e instanceof ApiError)) throw e; }
    setCsrf('');
    this.setState({ user: null });
  };

  lang = (l) => { setLang(l); this.setState({ lang: l }); };

  render(_, { user, checked, route: r, notice }) {
    document.title = t('app');
    const pages = user ? PAGES.filter((p) => p.roles.includes(user.role)) : [];
    const cur = PAGES.find((p) => p.path === top(r));
    let body;
    if (!checked) body = html`<p>${t('loading')}</p>`;
    else if (!user) body = html`<${LoginPage} onLogin=${this.onLogin} notice=${notice} />`;
    else if (!cur || !cur.roles.includes(user.role)) body = html`<h1 tabindex="-1">${t('app')}</h1><p>${t('notAllowed')}</p>`;
    else body = html`<${cur.page} user=${user} onExpired=${this.onExpired} rest=${r.split('/').slice(1).join('/')} key=${r + getLang()} />`;
    return html`
      <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); this.focusMain(); }}>${t('skip')}</a>
      <header class="top">
        <p class="brand">${t('app')}</p>
        <div class="langs" role="group" aria-label=${t('language')}>
          ${LANGS.map(([code, label]) => html`<button type="button" lang=${code} aria-pressed=${getLang() === code ? 'true' : 'false'}
            onClick=${() => this.lang(code)}>${label}</button>`)}
        </div>
        ${user && html`<div class="who"><span>${t('signedInAs')} <strong>${user.name}</strong> (${t('role_' + user.role)})</span>
          <button type="button" onClick=${this.logout}>${t('logout')}</button></div>`}
      </header>
      ${user && html`<nav aria-label=${t('nav')}><ul>${pages.map((p) => html`<li><a href=${'#/' + p.path}
        aria-current=${p.path === top(r) ? 'page' : undefined}>${t(p.title)}</a></li>`)}</ul></nav>`}
      <main id="main">${body}</main>`;
  }
}

render(html`<${App} />`, document.getElementById('app'));
