import type { CertificateSummary, RevocationReason } from './messages';

/** Subjects of the revocation commands beyond "SIM lost" (issue: revocation that reaches every broker). */
export const RevocationCommandSubjects = {
  revoke: 'iis.v1.revocation.revoke',
  /** The CA's certificate lookup by serial, device, SIM or issuer. */
  lookupCertificates: 'iis.v1.ca.certificates.lookup',
} as const;

/** Exactly one of the target fields. */
export interface RevocationTarget {
  serial?: string;
  deviceId?: string;
  iccid?: string;
  issuerId?: string;
}

export interface RevokeRequest {
  target: RevocationTarget;
  /** RFC 5280 CRLReason name; certificateHold and removeFromCRL are not revocations by this command. */
  reason: RevocationReason;
  comment?: string;
  actor: string;
}

export interface RevokeReply {
  revoked: { serial: string; issuerId: string; sequence: number }[];
  /** Certificates of the target that were already revoked: nothing changed for them. */
  alreadyRevoked: string[];
}

export interface LookupCertificatesRequest extends RevocationTarget {
  /** Only certificates with notAfter after this instant (ISO 8601). */
  unexpiredAt?: string;
}

export interface LookupCertificatesReply {
  certificates: CertificateSummary[];
}

/** Gateway agents report what they have applied; `idctl revocations status` shows it. */
export const AgentSubjects = {
  /** Plain NATS publish (no reply), every few seconds and after applying events. */
  heartbeat: 'iis.v1.revocation.agents.heartbeat',
  status: 'iis.v1.revocation.agents.status',
} as const;

export interface AgentHeartbeat {
  name: string;
  /** The last revocation stream sequence the agent has applied. */
  lastStreamSequence: number;
  revokedCount: number;
  rejected: number;
  at: string;
}

export interface AgentStatus {
  name: string;
  lastStreamSequence: number;
  revokedCount: number;
  rejected: number;
  lastSeenAt: string;
  /** Stream events the agent has not applied yet. */
  lag: number;
  /** No heartbeat for longer than the stale threshold. */
  stale: boolean;
}

export interface AgentsStatusReply {
  streamLastSequence: number;
  staleAfterSeconds: number;
  agents: AgentStatus[];
}
