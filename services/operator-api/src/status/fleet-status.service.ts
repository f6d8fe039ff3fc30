import { Inject, Injectable } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Clock, CLOCK } from '@iis/config';
import { CertificateStatsReply, CertificateStatsRequest, OperatorSubjects, RegistryStatsReply, Streams } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { NATS_CONNECTION, RPC } from '@iis/runtime';

export const EXPIRING_SOON_SECONDS = 7 * 86400;

export interface StreamConsumerLag {
  consumer: string;
  lag: number;
  deliveredSequence: number;
  lastActive: string | null;
}

export interface FleetStatus {
  at: string;
  devicesByStatus: Record<string, number> | null;
  simsByStatus: Record<string, number> | null;
  certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
  revocationStreamLastSequence: number | null;
  agents: StreamConsumerLag[] | null;
  unavailable: string[];
}

/** The fleet at a glance (`idctl status`, the console's overview). Each part is fetched on its own; a part that fails is named, not fatal. */
@Injectable()
export class FleetStatusService {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async status(): Promise<FleetStatus> {
    const now = this.clock.now();
    const [registry, certs, stream] = await Promise.allSettled([
      this.rpc.request<Record<string, never>, RegistryStatsReply>(OperatorSubjects.onboarding.registryStats, {}, 5000),
      this.rpc.request<CertificateStatsRequest, CertificateStatsReply>(
        OperatorSubjects.ca.certificateStats,
        { expiringWithinSeconds: EXPIRING_SOON_SECONDS, revokedSince: new Date(now.getTime() - 86_400_000).toISOString() },
        5000,
      ),
      this.consumers(),
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
  private async consumers(): Promise<{ lastSequence: number; agents: StreamConsumerLag[] }> {
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
