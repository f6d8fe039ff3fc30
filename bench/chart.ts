import type { Result } from './harness';

const ROW = 22;
const LABEL_W = 260;
const BAR_W = 420;
const VALUE_W = 150;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

const OURS = '#3b7dd8';
const PEER = '#9a9a9a';

/** Peers and ceilings (measured in the same run) are drawn grey beside our figures. */
export function isPeer(r: Pick<Result, 'goal'>): boolean {
  return /^(reference peer|ceiling)/.test(r.goal);
}

/**
 * The results as an SVG bar chart: one panel per unit (bars are comparable only within a
 * unit), each bar the median, the whisker the min–max spread over the measured runs; ours
 * blue, the peers and ceilings measured in the same run grey.
 */
export function renderChart(results: Result[], title: string): string {
  const byUnit = new Map<string, Result[]>();
  for (const r of results) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const parts: string[] = [];
  let y = 60;
  for (const [unit, rows] of byUnit) {
    const max = Math.max(...rows.map((r) => r.max)) || 1;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${esc(unit)}</text>`);
    y += 8;
    for (const r of rows) {
      y += ROW;
      const w = (v: number) => Math.max(1, (v / max) * BAR_W);
      const x0 = LABEL_W;
      parts.push(
        `<text x="10" y="${y - 6}">${esc(r.name)}</text>`,
        `<rect x="${x0}" y="${y - 18}" width="${w(r.median).toFixed(1)}" height="14" fill="${isPeer(r) ? PEER : OURS}"/>`,
        `<line x1="${(x0 + w(r.min)).toFixed(1)}" x2="${(x0 + w(r.max)).toFixed(1)}" y1="${y - 11}" y2="${y - 11}" stroke="#222"/>`,
        `<text x="${x0 + BAR_W + 10}" y="${y - 6}">${esc(`${fmt(r.median)} (${fmt(r.min)}–${fmt(r.max)})`)}</text>`,
      );
    }
    y += 24;
  }
  const width = LABEL_W + BAR_W + VALUE_W + 60;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<rect x="10" y="30" width="12" height="12" fill="${OURS}"/><text x="28" y="40">this suite</text>`,
    `<rect x="110" y="30" width="12" height="12" fill="${PEER}"/><text x="128" y="40">peer or ceiling, measured in the same run (median bar, min–max whisker)</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
