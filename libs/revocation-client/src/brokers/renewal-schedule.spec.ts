import { needsRenewal, renewalTime } from './renewal-schedule';

const t = (h: number) => new Date(Date.UTC(2026, 0, 1, h));

describe('broker certificate renewal schedule', () => {
  it.each([
    ['ok/no jitter: two thirds of a 24 h life', 0.5, t(16)],
    ['ok/most jitter early: 10 % of the life sooner', 0, new Date(t(16).getTime() - 2.4 * 3600_000)],
    ['ok/most jitter late: 10 % of the life later', 1, new Date(t(16).getTime() + 2.4 * 3600_000)],
  ])('%s', (_n, r, want) => {
    expect(renewalTime(t(0), t(24), () => r)).toEqual(want);
  });

  it.each([
    ['ok/no certificate yet', undefined, t(1), true],
    ['ok/young certificate', { notBefore: t(0), notAfter: t(24) }, t(10), false],
    ['ok/past two thirds', { notBefore: t(0), notAfter: t(24) }, t(17), true],
    ['ok/expired', { notBefore: t(0), notAfter: t(24) }, t(30), true],
  ])('%s', (_n, cert, now, want) => {
    expect(needsRenewal(cert, now, () => 0.5)).toBe(want);
  });
});
