import { Sample, splitRun } from './est-load';

/** Two clients: each first request sent at 0 ms; the first wave settles when the slower answers. */
function run(): Sample[] {
  return [
    { sentAt: 0, latency: 40, first: true },
    { sentAt: 0, latency: 90, first: true },
    // Sent before the first wave settled (90 ms): transient, left out of the steady state.
    { sentAt: 40, latency: 70, first: false },
    ...Array.from({ length: 99 }, (_v, i) => ({ sentAt: 90 + i, latency: 10, first: false })),
    { sentAt: 200, latency: 30, first: false },
  ];
}

describe('splitRun', () => {
  it('takes the steady state from the moment every client had its first answer', () => {
    const r = splitRun(run());
    expect(r.steadyCount).toBe(100);
    // Nearest rank 99 of 100: the 99th of 99 × 10 ms and one 30 ms.
    expect(r.steadyP99).toBe(10);
    expect(r.firstWave).toBe(90);
  });

  it('keeps the p99 of the whole run beside it', () => {
    // 103 requests: nearest rank 102 is the 70 ms transient request.
    expect(splitRun(run()).p99).toBe(70);
  });

  it('says there is no steady state when every request went out before the first wave settled', () => {
    const r = splitRun([
      { sentAt: 0, latency: 50, first: true },
      { sentAt: 0, latency: 60, first: true },
      { sentAt: 50, latency: 20, first: false },
    ]);
    expect(r.steadyCount).toBe(0);
    expect(r.steadyP99).toBeNaN();
    expect(r.firstWave).toBe(60);
  });
});
