import { LeaderLease, LeaseStore } from './leader-lease';

/** A Map with compare-and-set and a manual clock for expiry, standing in for the NATS KV bucket. */
class MemoryLeaseStore implements LeaseStore {
  private entries = new Map<string, { holder: string; revision: number; expires: number }>();
  private seq = 0;
  now = 0;
  failing = false;

  constructor(private readonly ttl: number) {}

  private live(key: string) {
    const e = this.entries.get(key);
    return e && e.expires > this.now ? e : undefined;
  }
  async create(key: string, holder: string) {
    if (this.failing) throw new Error('unreachable');
    if (this.live(key)) return null;
    this.entries.set(key, { holder, revision: ++this.seq, expires: this.now + this.ttl });
    return this.seq;
  }
  async update(key: string, holder: string, revision: number) {
    if (this.failing) throw new Error('unreachable');
    const e = this.live(key);
    if (!e || e.revision !== revision) return null;
    this.entries.set(key, { holder, revision: ++this.seq, expires: this.now + this.ttl });
    return this.seq;
  }
  async release(key: string, revision: number) {
    if (this.live(key)?.revision === revision) this.entries.delete(key);
  }
}

describe('LeaderLease', () => {
  const lease = (store: LeaseStore, holder: string, changes: boolean[] = []) => new LeaderLease(store, 'outbox', holder, { renewMs: 1000, onChange: (l) => changes.push(l) });

  it('ok/one leader among two; it keeps the lease by renewing', async () => {
    const store = new MemoryLeaseStore(5000);
    const a = lease(store, 'a');
    const b = lease(store, 'b');
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    store.now = 4000;
    expect(await a.tick()).toBe(true);
    store.now = 8000; // past the first TTL, within the renewed one
    expect(await b.tick()).toBe(false);
    expect(a.isLeader()).toBe(true);
  });

  it('ok/a follower takes over once the silent leader’s lease expires', async () => {
    const store = new MemoryLeaseStore(5000);
    const bChanges: boolean[] = [];
    const a = lease(store, 'a');
    const b = lease(store, 'b', bChanges);
    await a.tick();
    store.now = 5001; // a crashed and never renewed
    expect(await b.tick()).toBe(true);
    expect(bChanges).toEqual([true]);
    // The old leader learns it lost on its next renewal.
    expect(await a.tick()).toBe(false);
  });

  it('ok/stop hands the lease back at once', async () => {
    const store = new MemoryLeaseStore(5000);
    const aChanges: boolean[] = [];
    const a = lease(store, 'a', aChanges);
    const b = lease(store, 'b');
    await a.tick();
    await a.stop();
    expect(aChanges).toEqual([true, false]);
    expect(await b.tick()).toBe(true);
  });

  it('fail/a store that cannot be reached means not leading', async () => {
    const store = new MemoryLeaseStore(5000);
    const changes: boolean[] = [];
    const a = lease(store, 'a', changes);
    await a.tick();
    store.failing = true;
    expect(await a.tick()).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
