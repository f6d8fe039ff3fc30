/**
 * Shapes of the operator API's answers, as the console reads them. The message types are the
 * suite's own (@iis/contracts, type-only imports: nothing of it is bundled); the few answers the
 * operator API composes itself are described here.
 */
import type { AgentStatus, CertificateStatsReply, RevocationListItem } from '@iis/contracts';

export type {
  AgentStatus,
  CertificateSearchItem as Certificate,
  CertificateTimelineReply as Timeline,
  DecisionView as Decision,
  DeviceDetailView as DeviceView,
  PolicyActivationView as PolicyActivation,
  PolicyVersionView as PolicyVersion,
  RevocationListItem as Revocation,
  SimSearchItem,
} from '@iis/contracts';

/** GET /status/stream, event `fleet` (operator API: console/fleet-snapshot.service.ts). */
export interface FleetSnapshot {
  status: {
    at: string;
    devicesByStatus: Record<string, number> | null;
    simsByStatus: Record<string, number> | null;
    certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
    revocationStreamLastSequence: number | null;
    /** Gateway agents by their heartbeats (null: the revocation service did not answer). */
    agents: AgentStatus[] | null;
    unavailable: string[];
  };
  revocations: RevocationListItem[] | null;
}

/** GET /audit entries (operator API: audit/audit.dto.ts). */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  device: string | null;
  reason: string | null;
  outcome: string;
  status: number;
  detail: string | null;
  hash: string;
}
