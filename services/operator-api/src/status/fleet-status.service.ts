import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { AgentStatus, AgentsStatusReply, AgentSubjects, CertificateStatsReply, CertificateStatsRequest, OperatorSubjects, RegistryStatsReply } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';

export const EXPIRING_SOON_SECONDS = 7 * 86400;

export interface FleetStatus {
  at: string;
  devicesByStatus: Record<string, number> | null;
  simsByStatus: Record<string, number> | null;
  certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
  revocationStreamLastSequence: number | null;
  /** Gateway agents by their heartbeats, as `idctl revocations status` shows them. */
  agents: AgentStatus[] | null;
  unavailable: string[];
}

/** The fleet at a glance (`idctl status`, the console's overview). Each part is fetched on its own; a part that fails is named, not fatal. */
@Injectable()
export class FleetStatusService {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async status(): Promise<FleetStatus> {
    const now = this.clock.now();
    const [registry, certs, agents] = await Promise.allSettled([
      this.rpc.request<Record<string, never>, RegistryStatsReply>(OperatorSubjects.onboarding.registryStats, {}, 5000),
      this.rpc.request<CertificateStatsRequest, CertificateStatsReply>(
        OperatorSubjects.ca.certificateStats,
        { expiringWithinSeconds: EXPIRING_SOON_SECONDS, revokedSince: new Date(now.getTime() - 86_400_000).toISOString() },
        5000,
      ),
      // The agents' own heartbeats (applied sequence, lag, silence), not the stream's consumers:
      // an ordered consumer is ephemeral and says nothing of an agent that is offline.
      this.rpc.request<Record<string, never>, AgentsStatusReply>(AgentSubjects.status, {}, 5000),
    ]);
    const unavailable: string[] = [];
    if (registry.status === 'rejected') unavailable.push('registry (onboarding)');
    if (certs.status === 'rejected') unavailable.push('certificates (ca)');
    if (agents.status === 'rejected') unavailable.push('revocation stream and agents (revocation)');
    return {
      at: now.toISOString(),
      devicesByStatus: registry.status === 'fulfilled' ? registry.value.devicesByStatus : null,
      simsByStatus: registry.status === 'fulfilled' ? registry.value.simsByStatus : null,
      certificates: certs.status === 'fulfilled' ? { ...certs.value, expiringWithinSeconds: EXPIRING_SOON_SECONDS } : null,
      revocationStreamLastSequence: agents.status === 'fulfilled' ? agents.value.streamLastSequence : null,
      agents: agents.status === 'fulfilled' ? agents.value.agents : null,
      unavailable,
    };
  }
}
