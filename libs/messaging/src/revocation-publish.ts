import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';

/**
 * Publishes one revocation event: into the stream (under its message id, so a second publish
 * is dropped as a duplicate), then, once JetStream acknowledged it, the same bytes on the live
 * subject named with the stream sequence, which is what agents that are up to date apply. The stream
 * stays the record: a live copy that is lost only makes its agents catch up from the stream.
 */
export async function publishRevocationEvent(js: JetStreamClient, nc: NatsConnection, subject: string, payload: string | Uint8Array, msgId: string): Promise<PubAck> {
  const ack = await js.publish(subject, payload, { msgID: msgId });
  // A duplicate (republished after a crash or a new leader) was live-published the first time;
  // should that copy have been lost, the tick sends agents to the stream within a second.
  const live = ack.duplicate ? undefined : Streams.revocations.liveCopyOf(subject, ack.seq);
  if (live) nc.publish(live, payload);
  return ack;
}
