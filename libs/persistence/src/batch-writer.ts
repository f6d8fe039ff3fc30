/** A row the store skipped because another row already holds its idempotency key. */
export class RowSkipped extends Error {
  constructor() {
    super('another row already holds this idempotency key');
  }
}

/**
 * Groups writes that arrive close together into one multi-row insert. Each caller's promise
 * settles when the insert that carried its row committed (or failed), so a reply is never
 * sent for a row that is not stored. The write may name rows it skipped (by index);
 * those callers get RowSkipped.
 */
export class BatchWriter<T> {
  private pending: Array<{ row: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly write: (rows: T[]) => Promise<ReadonlySet<number> | void>,
    private readonly maxBatch = 500,
    private readonly maxConcurrent = 2,
  ) {}

  add(row: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    if (this.pending.length === 0 || this.inFlight >= this.maxConcurrent) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.inFlight++;
    this.write(batch.map((b) => b.row)).then(
      (skipped) => batch.forEach((b, i) => (skipped?.has(i) ? b.reject(new RowSkipped()) : b.resolve())),
      (e) => batch.forEach((b) => b.reject(e)),
    ).finally(() => {
      this.inFlight--;
      this.flush();
    });
  }
}
