import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { DataSource, In, IsNull } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { Leadership, RevocationTick, Streams } from '@iis/contracts';
import { ensureRevocationStream, KvLeaseStore, LeaderLease, OutboxPublisher, publishRevocationEvent } from '@iis/messaging';
import { NATS_CONNECTION } from '@iis/runtime';
import { OutboxMessageEntity } from './outbox-message.entity';
import { measureOutboxBacklogWith } from '../revocation.metrics';

const SWEEP_MS = 1000;
/** A dead leader's lease expires after this; followers retry every LEASE_RENEW_MS. */
const LEASE_TTL_MS = 5000;
const LEASE_RENEW_MS = 1500;
const KICK_TIMEOUT_MS = 2000;
const BATCH = 500;

/**
 * Publishes committed outbox rows to JetStream, oldest first, and marks them published.
 * Runs when kicked after a commit and on a timer, so rows left by a crash between commit
 * and publish go out on the next start. JetStream's duplicate window drops a second
 * publish of the same msgId, so "published but not yet marked" is safe to redo.
 * With several instances, one leads (a lease in NATS KV) and publishes; a follower that
 * committed asks the leader to publish now. If the leader dies, its lease expires and a
 * follower's sweep takes over, so nothing waits on one instance and nothing goes out twice.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationShutdown {
  private readonly logger = new Logger('revocation.outbox');
  private js: JetStreamClient | undefined;
  private readonly publisher: OutboxPublisher<OutboxMessageEntity>;
  private timer: NodeJS.Timeout | undefined;
  private lease: LeaderLease | undefined;
  private kicks: Subscription | undefined;
  private tickFailing = false;
  /**
   * Where the stream ends, as far as this relay knows: read from the stream when it starts to
   * lead, then moved by each of its publish acknowledgements (only the leading relay publishes).
   */
  private lastSequence: number | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const repo = () => this.ds.getRepository(OutboxMessageEntity);
    this.publisher = new OutboxPublisher<OutboxMessageEntity>({
      fetch: (take) => repo().find({ where: { publishedAt: IsNull() }, order: { id: 'ASC' }, take }),
      markSent: async (sent) => {
        await repo().update({ id: In(sent.map((r) => r.id)) }, { publishedAt: this.clock.now() });
      },
      js: () => this.js,
      // Stored, then the live copy agents apply at once (libs/messaging revocation-publish.ts).
      send: async (js, m) => {
        const ack = await publishRevocationEvent(js, this.nc, m.subject, m.payload, m.msgId);
        this.lastSequence = Math.max(this.lastSequence ?? 0, ack.seq);
      },
      batch: BATCH,
      onError: (e) => this.logger.warn(`outbox relay: ${e.message}; will retry`),
    });
  }

  async start(): Promise<void> {
    await ensureRevocationStream(this.nc);
    this.js = jetstream(this.nc);
    const holder = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.lease = new LeaderLease(await KvLeaseStore.open(this.nc, LEASE_TTL_MS), Leadership.revocationOutboxLease, holder, {
      renewMs: LEASE_RENEW_MS,
      onChange: (leader) => {
        this.logger.log(leader ? `outbox relay: leading (${holder})` : `outbox relay: following (${holder})`);
        // Another relay may have published meanwhile: the end is read again before the next tick.
        this.lastSequence = undefined;
        if (leader) void this.kick();
      },
    });
    if (!(await this.lease.tick())) this.logger.log(`outbox relay: following (${holder})`);
    this.lease.start();
    // Only the leader answers, so a follower's request reaches the one instance that publishes.
    this.kicks = this.nc.subscribe(Leadership.revocationOutboxKick, {
      callback: (err, msg) => {
        if (err || !this.lease?.isLeader()) return;
        void this.kick().then(() => msg.respond());
      },
    });
    measureOutboxBacklogWith(() => this.ds.getRepository(OutboxMessageEntity).countBy({ publishedAt: IsNull() }));
    this.timer = setInterval(() => {
      if (!this.lease?.isLeader()) return;
      void this.kick().then(() => this.tick());
    }, SWEEP_MS);
    this.timer.unref();
    await this.kick();
  }

  /** Publishes what is pending; concurrent kicks coalesce into one more pass. */
  kick(): Promise<void> {
    if (this.lease && !this.lease.isLeader()) {
      // No answer (no leader right now): the next leader's sweep publishes it.
      return this.nc.request(Leadership.revocationOutboxKick, '', { timeout: KICK_TIMEOUT_MS }).then(
        () => undefined,
        () => undefined,
      );
    }
    return this.publisher.publish();
  }

  /**
   * Tells agents where the stream ends (Streams.revocations.tick), so one that lost a live copy
   * (and has no later one to notice the hole by) catches up within a second.
   */
  private async tick(): Promise<void> {
    try {
      if (this.lastSequence === undefined) {
        const info = await (await this.js!.streams.get(Streams.revocations.name)).info(true);
        // An event acknowledged while asking moved the end already: the later of the two.
        this.lastSequence = Math.max(this.lastSequence ?? 0, info.state.last_seq);
      }
      this.nc.publish(Streams.revocations.tick, JSON.stringify({ lastSequence: this.lastSequence } satisfies RevocationTick));
      this.tickFailing = false;
    } catch (e) {
      if (!this.tickFailing) this.logger.warn(`outbox relay: no stream tick (${(e as Error).message}); trying every second`);
      this.tickFailing = true;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.kicks?.unsubscribe();
    await this.publisher.running();
    await this.lease?.stop();
  }
}
