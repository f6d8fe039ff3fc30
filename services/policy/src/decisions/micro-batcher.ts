/**
 * Group commit: items arriving in the same turn of the event loop are handled together by one
 * `flush` (one read, one multi-row insert), and each caller's promise settles with its own
 * result only after the batch is done. Durable like one write per request, at a fraction of the cost.
 */
export class MicroBatcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.run();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
    if (batch.length === 0) return;
    this.flush(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => (results[i] instanceof Error ? b.reject(results[i]) : b.resolve(results[i] as R))),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }
}
