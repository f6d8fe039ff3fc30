import { renderChart } from './chart';

describe('bench chart', () => {
  const r = (name: string, unit: string, median: number) => ({ name, unit, goal: '', median, min: median * 0.9, max: median * 1.1, runs: [median] });

  it('ok/one panel per unit, one bar per result, names escaped', () => {
    const svg = renderChart([r('a<b', 'certs/s', 100), r('c', 'certs/s', 50), r('d', 'ms p99', 3)], 'figures');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x="260"/g)).toHaveLength(3);
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('>certs/s<');
    expect(svg).toContain('>ms p99<');
  });

  it('ok/the largest value in a unit gets the full width', () => {
    const svg = renderChart([r('big', 'x', 100), r('small', 'x', 10)], 't');
    const widths = [...svg.matchAll(/<rect x="260" y="[\d.-]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeGreaterThan(widths[1] * 9);
  });

  it.each([
    ['ok/peer', 'reference peer', '#9a9a9a'],
    ['ok/ceiling', 'ceiling', '#9a9a9a'],
    ['ok/ours', '>= 5,000 certs/s', '#3b7dd8'],
  ])('%s bar colour', (_name, goal, colour) => {
    const svg = renderChart([{ ...r('x', 'u', 1), goal }], 't');
    expect(svg).toMatch(new RegExp(`<rect x="260"[^>]*fill="${colour}"`));
  });
});
