// Small inline-SVG charts for the results pages.  Every chart is drawn next to a
// table holding the same numbers (the table is what screen readers and keyboards
// use), so an SVG here is one image with a short label, never the only copy.
import { html } from './lib.js';

// Five faces, from very unhappy to very happy: a diverging palette that still reads
// apart in grey (the labels carry the meaning, not the colour).
export const FACE_COLOURS = ['#a50026', '#e66101', '#8c8c8c', '#4393c3', '#08519c'];

// Horizontal bars: rows [{label, value, colour?}]; the value and share at each bar's end.
export function BarChart({ label, rows, total }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 30, labelW = 170, barW = 300, w = labelW + barW + 110;
  const h = rows.length * rowH + 8;
  return html`<svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
    ${rows.map((r, i) => {
      const y = 4 + i * rowH, bw = Math.round((r.value / max) * barW);
      const share = total ? ` (${Math.round((r.value / total) * 100)} %)` : '';
      return html`<g>
        <text x=${labelW - 8} y=${y + 19} text-anchor="end" class="chart-label">${r.label}</text>
        <rect x=${labelW} y=${y + 4} width=${bw} height=${rowH - 10} fill=${r.colour || '#0b3d91'} />
        <text x=${labelW + bw + 6} y=${y + 19} class="chart-value">${r.value}${share}</text>
      </g>`;
    })}
  </svg>`;
}

// Vertical bars over time: points [{label, value}]; a few labels along the bottom.
export function TrendChart({ label, points }) {
  const n = Math.max(points.length, 1), max = Math.max(1, ...points.map((p) => p.value));
  const w = 560, h = 220, left = 44, bottom = 36, top = 10;
  const step = (w - left - 8) / n, bw = Math.max(2, step - 3);
  const every = Math.ceil(n / 6);
  return html`<svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
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
  </svg>`;
}

// Hour of day (columns) x weekday (rows): darker is more.  grid[7][24].
export function HeatMap({ label, grid, days }) {
  const max = Math.max(1, ...grid.flat());
  const cell = 22, left = 44, top = 20, w = left + 24 * cell + 4, h = top + 7 * cell + 4;
  return html`<svg class="chart" role="img" aria-label=${label} viewBox=${`0 0 ${w} ${h}`} width=${w} height=${h}>
    ${[0, 3, 6, 9, 12, 15, 18, 21].map((hh) => html`<text x=${left + hh * cell + (cell - 2) / 2} y=${top - 6} text-anchor="middle" class="chart-value">${hh}</text>`)}
    ${grid.map((row, d) => html`<g>
      <text x=${left - 6} y=${top + d * cell + 15} text-anchor="end" class="chart-label">${days[d]}</text>
      ${row.map((v, hh) => html`<rect x=${left + hh * cell} y=${top + d * cell} width=${cell - 2} height=${cell - 2}
        fill=${v ? `rgba(11, 61, 145, ${(0.15 + 0.85 * (v / max)).toFixed(3)})` : '#f3f2f1'} stroke="#b1b4b6" stroke-width="0.5"
        data-day=${d} data-hour=${hh} data-count=${v} />`)}
    </g>`)}
  </svg>`;
}
