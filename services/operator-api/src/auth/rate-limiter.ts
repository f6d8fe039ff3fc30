/**
 * Brute-force brake for token authentication. Each client address gets `maxFailures` failed
 * attempts per sliding `windowMs`; past that it is refused (429, Retry-After) until its oldest
 * counted failure leaves the window, whether or not the next token it sends is valid. A
 * success does not wipe the count, so a client holding one valid token cannot interleave it
 * to keep guessing. Framework-free; time comes from the caller.
 */
export interface RateLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered clients; the stalest is dropped first. */
  maxClients?: number;
}

export class FailureRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxClients: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.maxClients = options.maxClients ?? 100_000;
  }

  /** 0 when the client may try; else the milliseconds until it may. */
  retryAfterMs(client: string, nowMs: number): number {
    const recent = this.prune(client, nowMs);
    if (recent.length < this.options.maxFailures) return 0;
    return recent[recent.length - this.options.maxFailures] + this.options.windowMs - nowMs;
  }

  recordFailure(client: string, nowMs: number): void {
    const recent = this.prune(client, nowMs);
    recent.push(nowMs);
    // Keep only as many as can matter.
    if (recent.length > this.options.maxFailures) recent.splice(0, recent.length - this.options.maxFailures);
    this.failures.delete(client);
    this.failures.set(client, recent);
    if (this.failures.size > this.maxClients) this.failures.delete(this.failures.keys().next().value as string);
  }

  private prune(client: string, nowMs: number): number[] {
    const list = this.failures.get(client) ?? [];
    const fresh = list.filter((t) => t > nowMs - this.options.windowMs);
    if (fresh.length === 0) this.failures.delete(client);
    return fresh;
  }
}
