import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';
import { jetStreamReplicas } from './jetstream-replicas';

/**
 * Creates the revocation stream if it is missing. File storage: a revocation must survive a
 * NATS restart. The duplicate window lets a relay republish after a crash without a
 * second copy reaching subscribers (publishers set a message id per revocation).
 */
export async function ensureRevocationStream(nc: NatsConnection, replicas = jetStreamReplicas()): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const cfg = {
    name: Streams.revocations.name,
    subjects: [...Streams.revocations.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: replicas,
    duplicate_window: 2 * 60 * 1_000_000_000,
  };
  try {
    await jsm.streams.info(cfg.name);
  } catch {
    await jsm.streams.add(cfg);
  }
}
