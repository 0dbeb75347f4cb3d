// The results pages' downloads (CSV, Excel, JSON of what the page shows).  Each is a
// link that works as a link (open in a new tab, copy the address), but a plain click
// is taken by the page: it fetches the file and saves it, saying meanwhile that the
// file is being made (a workbook of a million rows takes half a minute) and, when the
// server refuses, why, in the page's language.  A link the browser follows itself
// shows only "download failed" when the server is busy (503 exports_busy,
// docs/admin-api.md).  The file passes through the page's memory: at most what the
// export weighs (about 100 MB for a million rows of CSV).
import { html, Component } from './lib.js';
import { t } from './i18n.js';
import { ApiError } from './api.js';
import { errorText } from './ui.js';

// Saves blob as a file named name, through a link the page clicks.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The file name the server gave (Content-Disposition: attachment; filename="…").
function fileName(r, fallback) {
  const m = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '');
  return m ? m[1] : fallback;
}

// items: [{ format, label, href, aria }]; intro: the text before the links; onExpired
// as the pages have it (a session that ended goes back to the login).
export class Downloads extends Component {
  constructor() {
    super();
    this.state = { status: '', error: '', done: 0 };
  }

  async take(e, item) {
    // A modified click (new tab, save as) is the browser's.
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.setState({ error: '', status: t('exportPreparing', item.label) });
    let error = '', status = '';
    try {
      const r = await fetch(item.href, { credentials: 'same-origin' });
      if (r.ok) {
        saveBlob(await r.blob(), fileName(r, 'export.' + item.format));
        status = t('exportSaved', item.label);
      } else {
        let body = null;
        try { body = await r.json(); } catch { body = null; }
        if (r.status === 401 && this.props.onExpired) {
          this.props.onExpired();
          return;
        }
        error = body && body.code === 'exports_busy' ? t('exportBusy')
          : t('exportFailed', errorText(new ApiError(r.status, body)));
      }
    } catch {
      error = t('exportFailed', t('exportNoAnswer'));
    }
    this.setState((s) => ({ status, error, done: s.done + 1 }));
  }

  // data-done counts the answers, for tests to wait on.
  render({ intro, items }, { status, error, done }) {
    return html`<div class="downloads-box" data-done=${done}>
      <p class="downloads">${intro}:
        ${items.map((it) => html` <a class="button" download="" href=${it.href} aria-label=${it.aria}
          data-format=${it.format} onClick=${(e) => this.take(e, it)}>${it.label}</a>`)}</p>
      <p class="download-status" role="status">${error || !status ? '' : status}</p>
      <p class="download-error" role="alert">${error}</p>
    </div>`;
  }
}
