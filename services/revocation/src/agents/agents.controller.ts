import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { AgentsStatusReply, AgentSubjects, Streams } from '@iis/contracts';
import { NATS_CONNECTION } from '@iis/runtime';
import { agentLag, parseHeartbeat } from './agent-heartbeat.rules';
import { AgentStatusEntity } from './agent-status.entity';
import { measureAgentLagWith } from '../revocation.metrics';

const STALE_AFTER_SECONDS = 30;

/** Which gateway agents are alive, and how far behind the revocation stream each one is. */
@Controller()
export class AgentsController {
  private readonly logger = new Logger('revocation.agents');
  private dropped = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    measureAgentLagWith(async () => (await this.status()).agents);
  }

  @EventPattern(AgentSubjects.heartbeat)
  async heartbeat(@Payload() raw: unknown): Promise<void> {
    const h = parseHeartbeat(raw);
    if (!h) {
      this.dropped++;
      this.logger.warn(`malformed agent heartbeat dropped (${this.dropped} so far)`);
      return;
    }
    await this.ds.getRepository(AgentStatusEntity).save({
      name: h.name,
      lastStreamSequence: h.lastStreamSequence,
      revokedCount: h.revokedCount,
      rejected: h.rejected,
      lastSeenAt: this.clock.now(),
    });
  }

  @MessagePattern(AgentSubjects.status)
  async status(): Promise<AgentsStatusReply> {
    const jsm = await jetstreamManager(this.nc);
    const info = await jsm.streams.info(Streams.revocations.name);
    const streamLastSequence = info.state.last_seq;
    const now = this.clock.now();
    const rows = await this.ds.getRepository(AgentStatusEntity).find({ order: { name: 'ASC' } });
    return {
      streamLastSequence,
      staleAfterSeconds: STALE_AFTER_SECONDS,
      agents: rows.map((r) => ({
        name: r.name,
        lastStreamSequence: r.lastStreamSequence,
        revokedCount: r.revokedCount,
        rejected: r.rejected,
        lastSeenAt: r.lastSeenAt.toISOString(),
        ...agentLag(streamLastSequence, r.lastStreamSequence, r.lastSeenAt, now, STALE_AFTER_SECONDS * 1000),
      })),
    };
  }
}
