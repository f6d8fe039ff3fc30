import { chartLine, withChartLine } from './readme-chart-line';

describe('README chart line', () => {
  const readme = ['## Benchmarks', '', chartLine('2026-01-02T03:04', '2 cores (CPU X), 4 GiB, Node v20.0.0'), '', '![benchmark figures](docs/benchmarks.svg)', ''].join('\n');

  it('ok/replaces the marked line only', () => {
    const out = withChartLine(readme, chartLine('2026-05-06T07:08', '8 cores (CPU Y), 16 GiB, Node v22.1.0'));
    expect(out.replaced).toBe(true);
    expect(out.text).toContain('on 2026-05-06 07:08 UTC, 8 cores (CPU Y), 16 GiB, Node v22.1.0.');
    expect(out.text).not.toContain('2026-01-02');
    expect(out.text.split('\n')).toHaveLength(readme.split('\n').length);
  });

  it('fail/no marked line: unchanged', () => {
    expect(withChartLine('# README\n', 'x')).toEqual({ text: '# README\n', replaced: false });
  });
});
