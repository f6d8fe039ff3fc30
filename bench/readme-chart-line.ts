/** The README line under the benchmark chart that names when and where it was measured. */
const MARK = '<!-- bench-chart-line: a full npm run bench rewrites this line -->';

export function chartLine(isoMinute: string, machine: string): string {
  return `The chart: a full \`npm run bench\` on ${isoMinute.replace('T', ' ')} UTC, ${machine}. ${MARK}`;
}

/** `readme` with the chart line replaced; unchanged (and `false`) when the README has none. */
export function withChartLine(readme: string, line: string): { text: string; replaced: boolean } {
  const lines = readme.split('\n');
  const i = lines.findIndex((l) => l.includes(MARK));
  if (i < 0) return { text: readme, replaced: false };
  lines[i] = line;
  return { text: lines.join('\n'), replaced: true };
}
