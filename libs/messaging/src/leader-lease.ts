/**
 * Where a lease lives: compare-and-set on one key that expires on its own when nobody renews it
 * (a NATS KV bucket with a TTL in production, a Map in tests).
 */
export interface LeaseStore {
  /** Revision of the new entry, or null when the key is already held. */
  create(key: string, holder: string): Promise<number | null>;
  /** New revision, or null when `revision` is no longer the latest (someone else holds it now). */
  update(key: string, holder: string, revision: number): Promise<number | null>;
  /** Gives the key up if it is still at `revision`. */
  release(key: string, revision: number): Promise<void>;
}

export interface LeaderLeaseOptions {
  /** How often the holder renews and a follower retries; well under the store's TTL. */
  renewMs: number;
  onChange?: (leader: boolean) => void;
}

/**
 * Leader election by lease: whoever creates the key leads and renews it by revision; when the
 * leader stops renewing (crash, partition) the key expires and the next `tick` of a follower
 * takes it. A store error counts as lost leadership, so two leaders last at most one TTL, and
 * the work they guard must stay idempotent (msg-id dedupe) for that window.
 */
export class LeaderLease {
  private revision: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<boolean> | undefined;

  constructor(
    private readonly store: LeaseStore,
    private readonly key: string,
    readonly holder: string,
    private readonly options: LeaderLeaseOptions,
  ) {}

  isLeader(): boolean {
    return this.revision !== null;
  }

  /** One election step: renew when leading, try to take the key otherwise. */
  tick(): Promise<boolean> {
    this.ticking ??= this.step().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async step(): Promise<boolean> {
    const was = this.isLeader();
    try {
      this.revision = this.revision === null ? await this.store.create(this.key, this.holder) : await this.store.update(this.key, this.holder, this.revision);
    } catch {
      this.revision = null;
    }
    if (was !== this.isLeader()) this.options.onChange?.(this.isLeader());
    return this.isLeader();
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.renewMs);
    this.timer.unref();
  }

  /** Stops renewing and hands the key back, so a follower takes over without waiting for the TTL. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const revision = this.revision;
    if (revision === null) return;
    this.revision = null;
    this.options.onChange?.(false);
    await this.store.release(this.key, revision).catch(() => undefined);
  }
}
