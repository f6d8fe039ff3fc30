import { jetstream } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetStreamReplicas } from './jetstream-replicas';
import type { LeaseStore } from './leader-lease';

/** The KV bucket that holds the suite's leases; an entry not renewed within its TTL disappears. */
export const LEASE_BUCKET = 'iis_leases';

/** LeaseStore over a NATS KV bucket: create fails on a held key, update is compare-and-set by revision. */
export class KvLeaseStore implements LeaseStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, ttlMs: number): Promise<KvLeaseStore> {
    const kv = await new Kvm(jetstream(nc)).create(LEASE_BUCKET, { ttl: ttlMs, history: 1, replicas: jetStreamReplicas() });
    return new KvLeaseStore(kv);
  }

  async create(key: string, holder: string): Promise<number | null> {
    try {
      return await this.kv.create(key, holder);
    } catch (e) {
      if (isWrongRevision(e)) return null;
      throw e;
    }
  }

  async update(key: string, holder: string, revision: number): Promise<number | null> {
    try {
      return await this.kv.update(key, holder, revision);
    } catch (e) {
      if (isWrongRevision(e)) return null;
      throw e;
    }
  }

  async release(key: string, revision: number): Promise<void> {
    await this.kv.delete(key, { previousSeq: revision });
  }
}

/** JetStream answers a failed compare-and-set with "wrong last sequence" (err_code 10071). */
function isWrongRevision(e: unknown): boolean {
  const err = e as { message?: string; api_error?: { err_code?: number }; code?: number };
  return err?.api_error?.err_code === 10071 || /wrong last sequence|key exists/i.test(err?.message ?? '');
}
