import type { JetStreamClient } from '@nats-io/jetstream';

/** What a transactional outbox holds per message: where it goes, what it says, and the id JetStream deduplicates by. */
export interface PendingMessage {
  subject: string;
  payload: string;
  msgId: string;
}

export interface OutboxPublisherOptions<M extends PendingMessage> {
  /** The oldest `take` unsent messages, in order; with `minAgeMs` > 0 only those at least that old. */
  fetch: (take: number, minAgeMs: number) => Promise<M[]>;
  /** Records messages JetStream acknowledged (delete or stamp them), even when a later one failed. */
  markSent: (sent: M[]) => Promise<void>;
  /** The JetStream client; undefined before it is there (nothing is published yet). */
  js: () => JetStreamClient | undefined;
  /** Messages per fetch. */
  batch: number;
  /** A pass that failed; what it did not send stays for the next pass. */
  onError: (e: Error) => void;
  /** How one message goes out; resolves once JetStream acknowledged it. Default: a JetStream publish under its message id. */
  send?: (js: JetStreamClient, m: M) => Promise<unknown>;
}

/**
 * The publish loop of a transactional outbox (no database here: the service fetches and marks
 * its own rows). Publishes unsent messages oldest first, batch by batch, each under its message
 * id, so a message published but not yet marked is redone and JetStream's duplicate window drops
 * the copy. Calls that come while a pass runs coalesce into one more pass.
 */
export class OutboxPublisher<M extends PendingMessage> {
  private current: Promise<void> | undefined;
  /** The smallest age asked for while a pass ran: the extra pass publishes at least what every caller asked. */
  private again: number | undefined;

  constructor(private readonly o: OutboxPublisherOptions<M>) {}

  /** Publishes what is pending (at least `minAgeMs` old); resolves when that pass (and any extra one) is done. */
  publish(minAgeMs = 0): Promise<void> {
    if (this.current) {
      this.again = Math.min(this.again ?? minAgeMs, minAgeMs);
      return this.current;
    }
    this.current = (async () => {
      for (let age: number | undefined = minAgeMs; age !== undefined; age = this.again) {
        this.again = undefined;
        await this.pass(age).catch((e: Error) => this.o.onError(e));
      }
    })().finally(() => (this.current = undefined));
    return this.current;
  }

  /** The pass under way, if any (for a shutdown to wait on). */
  running(): Promise<void> | undefined {
    return this.current;
  }

  private async pass(minAgeMs: number): Promise<void> {
    const js = this.o.js();
    if (!js) return;
    for (;;) {
      const messages = await this.o.fetch(this.o.batch, minAgeMs);
      if (messages.length === 0) return;
      const sent: M[] = [];
      try {
        for (const m of messages) {
          await (this.o.send ? this.o.send(js, m) : js.publish(m.subject, m.payload, { msgID: m.msgId }));
          sent.push(m);
        }
      } finally {
        // One write per batch for what JetStream acknowledged; a crash before it only republishes.
        if (sent.length) await this.o.markSent(sent);
      }
      if (messages.length < this.o.batch) return;
    }
  }
}
