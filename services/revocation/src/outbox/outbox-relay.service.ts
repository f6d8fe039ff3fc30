import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource, In, IsNull } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { ensureRevocationStream } from '@iis/messaging';
import { NATS_CONNECTION } from '@iis/runtime';
import { OutboxMessageEntity } from './outbox-message.entity';
import { measureOutboxBacklogWith } from '../revocation.metrics';

const SWEEP_MS = 1000;
const BATCH = 500;

/**
 * Publishes committed outbox rows to JetStream, oldest first, and marks them published.
 * Runs when kicked after a commit and on a timer, so rows left by a crash between commit
 * and publish go out on the next start. JetStream's duplicate window drops a second
 * publish of the same msgId, so "published but not yet marked" is safe to redo.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationShutdown {
  private readonly logger = new Logger('revocation.outbox');
  private js: JetStreamClient | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    await ensureRevocationStream(this.nc);
    this.js = jetstream(this.nc);
    measureOutboxBacklogWith(() => this.ds.getRepository(OutboxMessageEntity).countBy({ publishedAt: IsNull() }));
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.timer.unref();
    await this.kick();
  }

  /** Publishes what is pending; concurrent kicks coalesce into one more pass. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.publishPending().catch((e: Error) => this.logger.warn(`outbox relay: ${e.message}; will retry`));
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async publishPending(): Promise<void> {
    if (!this.js) return;
    const repo = this.ds.getRepository(OutboxMessageEntity);
    for (;;) {
      const rows = await repo.find({ where: { publishedAt: IsNull() }, order: { id: 'ASC' }, take: BATCH });
      if (rows.length === 0) return;
      for (const row of rows) await this.js.publish(row.subject, row.payload, { msgID: row.msgId });
      // One update per batch: a crash before it only republishes, and JetStream drops the duplicates.
      await repo.update({ id: In(rows.map((r) => r.id)) }, { publishedAt: this.clock.now() });
      if (rows.length < BATCH) return;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
