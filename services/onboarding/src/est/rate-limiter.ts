/**
 * Token buckets keyed by device or source address: `perMinute` requests a minute on
 * average, bursts up to the same number. Nest-free; time comes from the caller.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private takes = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 200_000,
  ) {}

  /** Takes one token: 0 when allowed, else the whole seconds to wait before the next try. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    if (++this.takes % 10_000 === 0 || this.buckets.size >= this.maxKeys) this.prune(now, ratePerMs);
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
  }

  /** Full buckets carry no information: forget them so memory stays bounded. */
  private prune(now: number, ratePerMs: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * ratePerMs >= this.perMinute) this.buckets.delete(k);
  }
}
