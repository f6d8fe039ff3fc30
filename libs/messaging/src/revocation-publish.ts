import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';

const EVENTS_PREFIX = 'iis.v1.revocation.events.';

/**
 * Publishes one revocation event: into the stream (under its message id, so a second publish
 * is dropped as a duplicate), then, once JetStream acknowledged it, the same bytes on the live
 * subject named with the stream sequence, which is what agents that are up to date apply. The stream
 * stays the record: a live copy that is lost only makes its agents catch up from the stream.
 */
export async function publishRevocationEvent(js: JetStreamClient, nc: NatsConnection, subject: string, payload: string | Uint8Array, msgId: string): Promise<PubAck> {
  const ack = await js.publish(subject, payload, { msgID: msgId });
  if (subject.startsWith(EVENTS_PREFIX)) nc.publish(Streams.revocations.liveSubject(subject.slice(EVENTS_PREFIX.length), ack.seq), payload);
  return ack;
}
