import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FactStreams } from '@iis/contracts';

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
  const until = Date.now() + ms;
  for (;;) {
    const m = await jsm.streams.getMessage(FactStreams.name, { last_by_subj: subject }).catch(() => null);
    if (m && m.seq > after) return m.json<T>();
    if (Date.now() > until) throw new Error(`no fact on ${subject} after stream seq ${after} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
