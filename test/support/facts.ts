import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FactStreams } from '@iis/contracts';
import { eventually } from './ops';

/**
 * Facts reach JetStream through the attestation service's outbox, published after its answer
 * to the device: a test notes where the subject stood before its request (`factPosition`),
 * then waits for the fact its request caused (`factAfter`) instead of reading the last one at once.
 */
export async function factPosition(nc: NatsConnection, subject: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.getMessage(FactStreams.name, { last_by_subj: subject }).catch(() => null))?.seq ?? 0;
}

/** The newest fact on `subject` past `after`; fails after `ms` naming the subject. */
export async function factAfter<T>(nc: NatsConnection, subject: string, after: number, ms = 10_000): Promise<T> {
  const jsm = await jetstreamManager(nc);
  let fact: T | undefined;
  await eventually(
    async () => {
      // A missing message rejects: eventually counts that as not yet.
      const m = await jsm.streams.getMessage(FactStreams.name, { last_by_subj: subject });
      if (!m || m.seq <= after) return false;
      fact = m.json<T>();
      return true;
    },
    ms,
    `a fact on ${subject} after stream seq ${after}`,
  );
  return fact as T;
}
