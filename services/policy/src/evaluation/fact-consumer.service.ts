import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FactStreams } from '@iis/contracts';
import { jetStreamReplicas } from '@iis/messaging';
import { NATS_CONNECTION } from '@iis/runtime';
import { MalformedEvent, parseFactEvent } from './fact-events';
import { PolicyStats } from './policy-stats';
import { RescoreUseCase } from './rescore.usecase';

/** Creates the facts stream if it is missing: file storage, a week of history, dedupe by message id. */
export async function ensureFactStream(nc: NatsConnection, replicas = jetStreamReplicas()): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(FactStreams.name);
  } catch {
    await jsm.streams.add({
      name: FactStreams.name,
      subjects: [...FactStreams.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
      max_age: 7 * 24 * 3600 * 1_000_000_000,
      duplicate_window: 2 * 60 * 1_000_000_000,
    });
  }
}

/**
 * Follows the facts stream with one durable consumer shared by every policy instance.
 * A malformed event is counted and dropped for good (term); a failed re-score (onboarding or
 * revocation unreachable) is redelivered later (nak).
 */
@Injectable()
export class FactConsumerService implements OnApplicationShutdown {
  private readonly logger = new Logger('policy.facts');
  private messages: ConsumerMessages | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly rescore: RescoreUseCase,
    private readonly stats: PolicyStats,
  ) {}

  async start(): Promise<void> {
    await ensureFactStream(this.nc);
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.consumers.info(FactStreams.name, FactStreams.consumer);
    } catch {
      await jsm.consumers.add(FactStreams.name, { durable_name: FactStreams.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_deliver: 20 });
    }
    const consumer = await jetstream(this.nc).consumers.get(FactStreams.name, FactStreams.consumer);
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        let event;
        try {
          event = parseFactEvent(m.data);
        } catch (e) {
          this.stats.malformed++;
          this.logger.warn(`fact event seq=${m.seq} on ${m.subject} dropped: ${(e as MalformedEvent).message}`);
          m.term();
          continue;
        }
        this.stats.accepted++;
        try {
          await this.rescore.execute(event);
          m.ack();
        } catch (e) {
          this.logger.error(`fact event seq=${m.seq} (${event.kind} for ${event.deviceId}) not applied: ${(e as Error).message}; retrying`);
          m.nak(2000);
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
  }
}
