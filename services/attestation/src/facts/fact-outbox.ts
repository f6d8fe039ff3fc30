import type { JetStreamClient } from '@nats-io/jetstream';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import type { FactEvent } from '@iis/contracts';
import { OutboxPublisher } from '@iis/messaging';
import { FactOutboxEntity } from './fact-outbox.entity';

/** A row younger than this is left to the publish its own request started. */
const SWEEP_AFTER_MS = 2000;
const BATCH = 200;

export interface FactOutboxOptions {
  ds: DataSource;
  js: JetStreamClient;
  now: () => Date;
  log: (line: string) => void;
}

/**
 * The attestation service's transactional outbox for policy facts. A fact is written with the
 * result it announces, published at once after the commit, and deleted when JetStream took it;
 * what could not go out (NATS down, no facts stream yet, a crash in between) is swept by every
 * instance. Two instances sweeping the same row publish it twice under one message id, and
 * JetStream's duplicate window keeps one: no leader needed, nothing lost.
 */
export class FactOutbox {
  private readonly publisher: OutboxPublisher<FactOutboxEntity>;

  constructor(private readonly o: FactOutboxOptions) {
    const repo = () => o.ds.getRepository(FactOutboxEntity);
    this.publisher = new OutboxPublisher<FactOutboxEntity>({
      fetch: (take, minAgeMs) => {
        const before = new Date(o.now().getTime() - minAgeMs + 1);
        return repo().find({ where: minAgeMs > 0 ? { createdAt: LessThan(before) } : {}, order: { id: 'ASC' }, take });
      },
      markSent: async (sent) => {
        await repo().delete({ id: In(sent.map((r) => r.id)) });
      },
      js: () => o.js,
      batch: BATCH,
      onError: (e) => o.log(`attestation facts: ${e.message}; kept for the next sweep`),
    });
  }

  /** Inside the caller's transaction: the fact commits or rolls back with what it announces. */
  async add(em: EntityManager, subject: string, event: FactEvent): Promise<void> {
    await em.getRepository(FactOutboxEntity).insert({ subject, msgId: event.eventId, payload: JSON.stringify(event), createdAt: this.o.now() });
  }

  /** Publishes what is pending now; concurrent calls coalesce into one more pass. */
  kick(minAgeMs = 0): Promise<void> {
    return this.publisher.publish(minAgeMs);
  }

  /** The periodic pass: rows the request that wrote them did not publish. */
  sweep(): Promise<void> {
    return this.kick(SWEEP_AFTER_MS);
  }

  /** How many facts wait (for metrics and tests). */
  pending(): Promise<number> {
    return this.o.ds.getRepository(FactOutboxEntity).count();
  }
}
