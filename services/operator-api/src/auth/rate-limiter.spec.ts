import { FailureRateLimiter } from './rate-limiter';

describe('FailureRateLimiter', () => {
  const make = () => new FailureRateLimiter({ maxFailures: 3, windowMs: 60_000, maxClients: 2 });

  // Failures at t = 0, 1, 2, …; asked at the time of the last one.
  it.each([
    ['ok/no failures', 0, 0, 0],
    ['ok/two failures', 2, 1, 0],
    ['fail/three failures block until the first leaves the window', 3, 2, 60_000 - 2],
    ['fail/ten failures block until the eighth leaves the window', 10, 9, 7 + 60_000 - 9],
  ])('%s', (_n, failures, now, expectedWait) => {
    const rl = make();
    for (let t = 0; t < failures; t++) rl.recordFailure('1.2.3.4', t);
    expect(rl.retryAfterMs('1.2.3.4', now)).toBe(expectedWait);
  });

  it('ok/the block lifts when the window has passed', () => {
    const rl = make();
    for (let i = 0; i < 3; i++) rl.recordFailure('a', 0);
    expect(rl.retryAfterMs('a', 59_999)).toBe(1);
    expect(rl.retryAfterMs('a', 60_000)).toBe(0);
  });

  it('ok/clients are counted apart', () => {
    const rl = make();
    for (let i = 0; i < 3; i++) rl.recordFailure('a', 0);
    expect(rl.retryAfterMs('b', 1)).toBe(0);
  });

  it('ok/memory is bounded: the stalest client is forgotten', () => {
    const rl = make();
    for (const c of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) rl.recordFailure(c, 0);
    expect(rl.retryAfterMs('a', 1)).toBe(0);
    expect(rl.retryAfterMs('c', 1)).toBeGreaterThan(0);
  });
});
