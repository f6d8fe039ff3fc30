import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Clock, CLOCK } from '@iis/config';
import { CertificateStatsReply, CertificateStatsRequest, OperatorSubjects, RegistryStatsReply, Streams } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { NATS_CONNECTION, RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';

export const EXPIRING_SOON_SECONDS = 7 * 86400;

class AgentLagDto {
  @ApiProperty({ description: 'the JetStream consumer following the revocation stream' }) consumer: string;
  @ApiProperty({ description: 'events it has not yet received' }) lag: number;
  @ApiProperty({ description: 'last stream sequence delivered to it' }) deliveredSequence: number;
  @ApiProperty({ nullable: true, type: String }) lastActive: string | null;
}

class StatusDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Object, nullable: true, description: 'device count per status' }) devicesByStatus: Record<string, number> | null;
  @ApiProperty({ type: Object, nullable: true, description: 'SIM count per status' }) simsByStatus: Record<string, number> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'valid certificates, those expiring within expiringWithinSeconds, revoked in the last day' })
  certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
  @ApiProperty({ nullable: true, type: Number }) revocationStreamLastSequence: number | null;
  @ApiProperty({ type: [AgentLagDto], nullable: true }) agents: AgentLagDto[] | null;
  @ApiProperty({ type: [String], description: 'parts that could not be fetched (service down)' }) unavailable: string[];
}

/** The fleet at a glance, for `idctl status`. Each part is fetched on its own; a part that fails is named, not fatal. */
@ApiTags('status')
@Controller('api/v1/status')
@RequirePermission('status:read')
export class StatusController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: StatusDto })
  async status(): Promise<StatusDto> {
    const now = this.clock.now();
    const [registry, certs, stream] = await Promise.allSettled([
      this.rpc.request<Record<string, never>, RegistryStatsReply>(OperatorSubjects.onboarding.registryStats, {}, 5000),
      this.rpc.request<CertificateStatsRequest, CertificateStatsReply>(
        OperatorSubjects.ca.certificateStats,
        { expiringWithinSeconds: EXPIRING_SOON_SECONDS, revokedSince: new Date(now.getTime() - 86_400_000).toISOString() },
        5000,
      ),
      this.agents(),
    ]);
    const unavailable: string[] = [];
    if (registry.status === 'rejected') unavailable.push('registry (onboarding)');
    if (certs.status === 'rejected') unavailable.push('certificates (ca)');
    if (stream.status === 'rejected') unavailable.push('revocation stream (JetStream)');
    return {
      at: now.toISOString(),
      devicesByStatus: registry.status === 'fulfilled' ? registry.value.devicesByStatus : null,
      simsByStatus: registry.status === 'fulfilled' ? registry.value.simsByStatus : null,
      certificates: certs.status === 'fulfilled' ? { ...certs.value, expiringWithinSeconds: EXPIRING_SOON_SECONDS } : null,
      revocationStreamLastSequence: stream.status === 'fulfilled' ? stream.value.lastSequence : null,
      agents: stream.status === 'fulfilled' ? stream.value.agents : null,
      unavailable,
    };
  }

  /** Gateway agents follow the revocation stream with their own consumers; lag = events not yet delivered. */
  private async agents(): Promise<{ lastSequence: number; agents: AgentLagDto[] }> {
    const jsm = await jetstreamManager(this.nc, { timeout: 5000 });
    const info = await jsm.streams.info(Streams.revocations.name);
    const consumers = await jsm.consumers.list(Streams.revocations.name).next();
    return {
      lastSequence: info.state.last_seq,
      agents: consumers.map((c) => ({
        consumer: c.name,
        lag: c.num_pending,
        deliveredSequence: c.delivered.stream_seq,
        lastActive: c.delivered.last_active ? String(c.delivered.last_active) : null,
      })),
    };
  }
}
