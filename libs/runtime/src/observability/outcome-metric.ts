import { Counter, Histogram } from 'prom-client';
import { DomainError } from '@iis/contracts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * `<name>_total{outcome}` and `<name>_duration_seconds{outcome}` for one use case: the outcome
 * is what the result says (e.g. allow/deny), else `ok`, or the error's code when it fails.
 */
export class OutcomeMetric<T> {
  private readonly count: Counter<'outcome'>;
  private readonly latency: Histogram<'outcome'>;

  constructor(name: string, help: string, private readonly outcomeOf: (result: T) => string = () => 'ok') {
    this.count = new Counter({ name: `${name}_total`, help: `${help}, by outcome`, labelNames: ['outcome'] });
    this.latency = new Histogram({ name: `${name}_duration_seconds`, help: `${help}: time to answer, by outcome`, labelNames: ['outcome'], buckets: LATENCY_BUCKETS });
  }

  async observe(work: () => Promise<T>): Promise<T> {
    const stop = this.latency.startTimer();
    let outcome = 'error';
    try {
      const result = await work();
      outcome = this.outcomeOf(result);
      return result;
    } catch (e) {
      outcome = e instanceof DomainError ? e.code.toLowerCase() : 'error';
      throw e;
    } finally {
      this.count.inc({ outcome });
      stop({ outcome });
    }
  }
}
