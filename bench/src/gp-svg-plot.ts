/** A small SVG line plot (no dependency): median regret per method against evaluations on a log y axis,
 *  with the interquartile range as a shaded band. Enough for the quality bench's one plot per function. */

export interface PlotSeries {
  label: string;
  colour: string;
  median: number[];
  lower: number[];
  upper: number[];
}

const WIDTH = 700;
const HEIGHT = 400;
const MARGIN = { left: 70, right: 230, top: 40, bottom: 50 };

export function regretPlotSvg(title: string, series: PlotSeries[]): string {
  const budget = Math.max(...series.map((s) => s.median.length));
  // Regret can be exactly 0 (an optimum hit on the grid); clamp for the log axis.
  const floor = 1e-8;
  const values = series.flatMap((s) => [...s.lower, ...s.upper, ...s.median]).map((v) => Math.max(v, floor));
  const yMin = Math.floor(Math.log10(Math.min(...values)));
  const yMax = Math.ceil(Math.log10(Math.max(...values)));
  const span = Math.max(yMax - yMin, 1);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (i: number) => MARGIN.left + (budget <= 1 ? 0 : (i / (budget - 1)) * plotW);
  const py = (v: number) => MARGIN.top + ((yMax - Math.log10(Math.max(v, floor))) / span) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  out.push(`<text x="${MARGIN.left}" y="24" font-size="15">${escapeXml(title)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end">1e${e}</text>`);
  }
  for (let t = 0; t <= 4; t++) {
    const i = Math.round((t / 4) * (budget - 1));
    out.push(`<text x="${px(i)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${i + 1}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">evaluations</text>`);
  out.push(`<text x="16" y="${MARGIN.top + plotH / 2}" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})" text-anchor="middle">simple regret (median, IQR)</text>`);
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  series.forEach((s, k) => {
    const upper = s.upper.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`);
    const lower = s.lower.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).reverse();
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.colour}" fill-opacity="0.15" stroke="none"/>`);
    out.push(`<polyline points="${s.median.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    const ly = MARGIN.top + 10 + k * 20;
    out.push(`<line x1="${MARGIN.left + plotW + 12}" x2="${MARGIN.left + plotW + 32}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="3"/>`);
    out.push(`<text x="${MARGIN.left + plotW + 38}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
