// Small inline-SVG charts for the results pages.  Every chart is drawn next to a
// table holding the same numbers (the table is what screen readers and keyboards
// use), so an SVG here is one image with a short label, never the only copy.
import { html } from './lib.js';
import { t } from './i18n.js';
import { saveBlob } from './downloads.js';

// --- downloads: every chart as an SVG or PNG file for reports ---------------------
// The chart is drawn in the page already; the file is that same SVG with the page's
// chart styles written into it (a file has no style sheet), and the PNG is that SVG
// drawn on a canvas at twice its size, so the two files never disagree.
const EXPORT_STYLE = 'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}'
  + '.chart-label{font-size:13px;fill:#1b1b1b}.chart-value{font-size:12px;fill:#1b1b1b}';

// A chart's short title from its label ("Chart: By face. The numbers are ..." gives
// "By face").
export function chartTitle(label) {
  const first = String(label || '').split('. ')[0];
  return (first.includes(':') ? first.slice(first.indexOf(':') + 1) : first).trim();
}

// The file name from the chart's title: letters and digits of any script, '-' between.
export function chartFileName(label, ext) {
  const base = chartTitle(label);
  const slug = base.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'chart'}.${ext}`;
}

// The chart's SVG as a standalone document (text), with a white background.
export function chartSvgText(svg) {
  const copy = svg.cloneNode(true);
  const ns = 'http://www.w3.org/2000/svg';
  copy.setAttribute('xmlns', ns);
  copy.removeAttribute('class');
  const vb = svg.viewBox && svg.viewBox.baseVal;
  const w = (vb && vb.width) || svg.width.baseVal.value, h = (vb && vb.height) || svg.height.baseVal.value;
  copy.setAttribute('width', String(w));
  copy.setAttribute('height', String(h));
  const style = document.createElementNS(ns, 'style');
  style.textContent = EXPORT_STYLE;
  const bg = document.createElementNS(ns, 'rect');
  for (const [k, v] of [['x', '0'], ['y', '0'], ['width', '100%'], ['height', '100%'], ['fill', '#ffffff']]) bg.setAttribute(k, v);
  const title = document.createElementNS(ns, 'title');
  title.textContent = svg.getAttribute('aria-label') || '';
  copy.insertBefore(bg, copy.firstChild);
  copy.insertBefore(style, copy.firstChild);
  copy.insertBefore(title, copy.firstChild);
  return { text: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy), w, h };
}

// The PNG of an SVG text: drawn on a canvas `scale` times its size.  Resolves to a Blob.
export function svgToPng(text, w, h, scale = 2) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const g = canvas.getContext('2d');
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('png'))), 'image/png');
    };
    img.onerror = () => reject(new Error('svg'));
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  });
}

export async function downloadChart(svg, kind) {
  const { text, w, h } = chartSvgText(svg);
  const name = chartFileName(svg.getAttribute('aria-label'), kind);
  if (kind === 'svg') saveBlob(new Blob([text], { type: 'image/svg+xml' }), name);
  else saveBlob(await svgToPng(text, w, h), name);
}

function onDownload(e, kind) {
  const frame = e.currentTarget.closest('.chart-frame');
  const svg = frame && frame.querySelector('svg.chart');
  if (svg) downloadChart(svg, kind).catch(() => { /* the chart stays on the page; nothing to save */ });
}

// Every chart goes through this: the SVG and its two download buttons, which name
// the chart they save (a screen reader hears "Download PNG: Feedback by face"; the
// visible text starts the name, so speech input finds the button by what it shows).
export function ChartFrame({ label, children }) {
  return html`<div class="chart-frame">${children}
    <p class="chart-downloads">${['svg', 'png'].map((k) => html`<button type="button" class="small"
      data-download=${k} aria-label=${t('chartDownload', k.toUpperCase()) + ': ' + chartTitle(label)}
      onClick=${(e) => onDownload(e, k)}>${t('chartDownload', k.toUpperCase())}</button> `)}</p></div>`;
}

// Five faces, from very unhappy to very happy: a diverging palette that still reads
// apart in grey (the labels carry the meaning, not the colour).
export const FACE_COLOURS = ['#a50026', '#e66101', '#8c8c8c', '#4393c3', '#08519c'];

// Horizontal bars: rows [{label, value, colour?}]; the value and share at each bar's end.
export function BarChart({ label, rows, total }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  // room for the longest label (about 7 px a character at 13 px), within bounds
  const longest = Math.max(0, ...rows.map((r) => String(r.label).length));
  const rowH = 30, labelW = Math.min(340, Math.max(170, 12 + 7 * longest)), barW = 300, w = labelW + barW + 110;
  const h = rows.length * rowH + 8;
  return html`<${ChartFrame} label=${label}><svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
    ${rows.map((r, i) => {
      const y = 4 + i * rowH, bw = Math.round((r.value / max) * barW);
      const share = total ? ` (${Math.round((r.value / total) * 100)} %)` : '';
      return html`<g>
        <text x=${labelW - 8} y=${y + 19} text-anchor="end" class="chart-label">${r.label}</text>
        <rect x=${labelW} y=${y + 4} width=${bw} height=${rowH - 10} fill=${r.colour || '#0b3d91'} />
        <text x=${labelW + bw + 6} y=${y + 19} class="chart-value">${r.value}${share}</text>
      </g>`;
    })}
  </svg><//>`;
}

// Vertical bars over time: points [{label, value}]; a few labels along the bottom.
export function TrendChart({ label, points }) {
  const n = Math.max(points.length, 1), max = Math.max(1, ...points.map((p) => p.value));
  const w = 560, h = 220, left = 44, bottom = 36, top = 10;
  const step = (w - left - 8) / n, bw = Math.max(2, step - 3);
  const every = Math.ceil(n / 6);
  return html`<${ChartFrame} label=${label}><svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
    <line x1=${left} y1=${h - bottom} x2=${w - 4} y2=${h - bottom} stroke="#1b1b1b" />
    <text x=${left - 6} y=${top + 10} text-anchor="end" class="chart-value">${max}</text>
    <text x=${left - 6} y=${h - bottom} text-anchor="end" class="chart-value">0</text>
    ${points.map((p, i) => {
      const bh = Math.round((p.value / max) * (h - bottom - top));
      const x = left + i * step + 1;
      return html`<g>
        <rect x=${x} y=${h - bottom - bh} width=${bw} height=${bh} fill="#0b3d91" />
        ${i % every === 0 && html`<text x=${x} y=${h - bottom + 16} class="chart-value">${p.label}</text>`}
      </g>`;
    })}
  </svg><//>`;
}

// Hour of day (columns) x weekday (rows): darker is more.  grid[7][24].
export function HeatMap({ label, grid, days }) {
  const max = Math.max(1, ...grid.flat());
  const cell = 22, left = 44, top = 20, w = left + 24 * cell + 4, h = top + 7 * cell + 4;
  return html`<${ChartFrame} label=${label}><svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
    ${[0, 3, 6, 9, 12, 15, 18, 21].map((hh) => html`<text x=${left + hh * cell + (cell - 2) / 2} y=${top - 6} text-anchor="middle" class="chart-value">${hh}</text>`)}
    ${grid.map((row, d) => html`<g>
      <text x=${left - 6} y=${top + d * cell + 15} text-anchor="end" class="chart-label">${days[d]}</text>
      ${row.map((v, hh) => html`<rect x=${left + hh * cell} y=${top + d * cell} width=${cell - 2} height=${cell - 2}
        fill=${v ? `rgba(11, 61, 145, ${(0.15 + 0.85 * (v / max)).toFixed(3)})` : '#f3f2f1'} stroke="#b1b4b6" stroke-width="0.5"
        data-day=${d} data-hour=${hh} data-count=${v} />`)}
    </g>`)}
  </svg><//>`;
}
