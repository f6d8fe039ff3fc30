/** Shapes of the operator API's answers, as the console reads them (see /api/v1/openapi.json). */
export interface SimView {
  iccid: string;
  imsi: string;
  imei: string;
  status: string;
  deviceId: string | null;
  lostAt: string | null;
}
export interface DeviceView {
  id: string;
  serial: string;
  deviceClass: string;
  status: string;
  createdAt: string;
  sim: SimView | null;
  manufacturer?: string | null;
  firmwareVersion?: string | null;
  firstEnrolledAt?: string | null;
}
export interface Certificate {
  serial: string;
  issuerId: string;
  profile: string;
  deviceId: string | null;
  iccid: string | null;
  subject: string;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  status: string;
}
export interface Revocation {
  sequence: number;
  serial: string;
  issuerId: string;
  reason: string;
  revokedAt: string;
  deviceId: string | null;
  iccid: string | null;
  cause: string;
  actor: string;
}
export interface AgentStatus {
  name: string;
  lastStreamSequence: number;
  revokedCount: number;
  rejected: number;
  lastSeenAt: string;
  lag: number;
  stale: boolean;
}
export interface FleetSnapshot {
  status: {
    at: string;
    devicesByStatus: Record<string, number> | null;
    simsByStatus: Record<string, number> | null;
    certificates: { valid: number; expiringSoon: number; revokedSince: number; expiringWithinSeconds: number } | null;
    revocationStreamLastSequence: number | null;
    unavailable: string[];
  };
  agents: { streamLastSequence: number; staleAfterSeconds: number; agents: AgentStatus[] } | null;
  revocations: Revocation[] | null;
}
export interface Timeline {
  at: string;
  bucketSeconds: number;
  issued: number[];
  expiring: number[];
}
export interface Decision {
  decisionId: string;
  action: string;
  trigger: string;
  outcome: string;
  trustOutcome: string | null;
  score: number | null;
  ttlSeconds: number;
  policyVersion: string;
  reasons: string[];
  explanation: { ruleId: string; description: string; contribution: number; cap?: string }[];
  facts: Record<string, string | number | boolean | null> | null;
  createdAt: string;
}
export interface SimSearchItem extends SimView {
  device: { id: string; serial: string; status: string; deviceClass: string } | null;
}
export interface PolicyVersion {
  version: number;
  name: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  active: boolean;
  ruleCount: number;
}
export interface PolicyActivation {
  id: number;
  version: number;
  previousVersion: number | null;
  kind: string;
  actor: string;
  reason: string | null;
  activatedAt: string;
}
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
