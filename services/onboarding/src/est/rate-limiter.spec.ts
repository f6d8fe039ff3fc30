import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('ok/allows a burst up to the limit, then says how long to wait', () => {
    let t = 0;
    const rl = new RateLimiter(3, () => t);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(20);
    expect(rl.take('b')).toBe(0);
    t = 20_000;
    expect(rl.take('a')).toBe(0);
  });

  it('ok/zero disables the limit', () => {
    const rl = new RateLimiter(0, () => 0);
    for (let i = 0; i < 100; i++) expect(rl.take('a')).toBe(0);
  });

  it('ok/prunes idle keys', () => {
    let t = 0;
    const rl = new RateLimiter(60, () => t, 2);
    rl.take('a');
    rl.take('b');
    t = 120_000;
    rl.take('c');
    expect((rl as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(1);
  });
});
