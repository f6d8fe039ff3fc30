/**
 * Issue 7: the trust-scoring policy engine. Subjects and messages for policy documents,
 * explained decisions, continuous evaluation (fact events) and signed policy bundles.
 * The decision itself keeps `Subjects.policy.decide` (messages.ts) with optional fields added.
 */

export const PolicySubjects = {
  upload: 'iis.v1.policy.documents.upload',
  activate: 'iis.v1.policy.documents.activate',
  rollback: 'iis.v1.policy.documents.rollback',
  list: 'iis.v1.policy.documents.list',
  get: 'iis.v1.policy.documents.get',
  /** Latest stored decisions of one device, newest first. */
  deviceDecisions: 'iis.v1.policy.decisions.by-device',
  /** Counters of the fact consumer (accepted, malformed, rescored…). */
  stats: 'iis.v1.policy.stats',
  /** Plain NATS (no queue group): every policy instance reloads the active policy. */
  activated: 'iis.v1.policy.events.activated',
} as const;

/** Facts that must not be lost: behaviour reports, attestation results, firmware and SIM sightings. */
export const FactStreams = {
  name: 'IIS_FACTS_V1',
  subjects: ['iis.v1.facts.>'],
  behaviour: 'iis.v1.facts.behaviour',
  attestation: 'iis.v1.facts.attestation',
  firmware: 'iis.v1.facts.firmware',
  simSeen: 'iis.v1.facts.sim-seen',
  /** Durable consumer of the policy service (shared by every instance). */
  consumer: 'iis-policy-facts',
} as const;

/** Signed policy bundles for gateway agents. */
export const PolicyBundles = {
  bucket: 'iis_policy_bundles',
  key: 'active',
} as const;

export const RevocationDeviceSubjects = {
  /** Revoke every unexpired certificate of one device (quarantine by policy, or an operator). */
  revokeDevice: 'iis.v1.revocation.devices.revoke',
} as const;

export type TrustOutcomeName = 'allow' | 'allow-short-ttl' | 'restrict' | 'quarantine' | 'deny';
export type FactScalar = string | number | boolean | null;

export interface PolicyVersionView {
  version: number;
  name: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  active: boolean;
  ruleCount: number;
}
export interface PolicyActivationView {
  id: number;
  version: number;
  previousVersion: number | null;
  kind: 'bootstrap' | 'activate' | 'rollback';
  actor: string;
  reason: string | null;
  activatedAt: string;
}

export interface UploadPolicyRequest {
  document: unknown;
  actor: string;
  /** Activate at once after a successful upload. */
  activate?: boolean;
  reason?: string;
}
export interface UploadPolicyReply {
  policy: PolicyVersionView;
  activation: PolicyActivationView | null;
}
export interface ActivatePolicyRequest {
  version: number;
  actor: string;
  reason?: string;
}
export interface RollbackPolicyRequest {
  actor: string;
  reason?: string;
}
export interface ActivationReply {
  policy: PolicyVersionView;
  activation: PolicyActivationView;
}
export interface ListPoliciesReply {
  active: number | null;
  versions: PolicyVersionView[];
  activations: PolicyActivationView[];
}
export interface GetPolicyRequest {
  /** Default: the active version. */
  version?: number;
}
export interface GetPolicyReply {
  policy: PolicyVersionView;
  document: unknown;
}

export interface FiredRuleView {
  ruleId: string;
  description: string;
  contribution: number;
  cap?: TrustOutcomeName;
}
export interface DecisionView {
  decisionId: string;
  deviceId: string | null;
  action: string;
  /** What triggered it: a request (enroll…) or a fact event (firmware, sim-seen…). */
  trigger: string;
  outcome: string;
  trustOutcome: TrustOutcomeName | null;
  score: number | null;
  ttlSeconds: number;
  policyVersion: string;
  reasons: string[];
  explanation: FiredRuleView[];
  facts: Record<string, FactScalar> | null;
  createdAt: string;
}
export interface DeviceDecisionsRequest {
  deviceId: string;
  limit?: number;
}
export interface DeviceDecisionsReply {
  deviceId: string;
  trustState: 'trusted' | 'quarantined' | 'denied';
  decisions: DecisionView[];
}

/**
 * Published on FactStreams subjects by brokers, gateways, attestation and onboarding. Every
 * event names the device; `eventId` lets the publisher set a JetStream message id (dedupe).
 */
export interface FactEventBase {
  version: 1;
  eventId: string;
  deviceId: string;
  observedAt: string;
  /** Who reports it: `gateway:gw-1`, `broker:mqtt-eu`, `attestation`… */
  source: string;
}
export interface BehaviourEvent extends FactEventBase {
  kind: 'behaviour';
  /** Counters over the reporter's window; each replaces the stored value. */
  counters: Partial<Record<'authFailures' | 'reenrollments' | 'concurrentAddresses' | 'iccidChanges' | 'imeiChanges' | 'newDestinations', number>>;
}
export interface AttestationResultEvent extends FactEventBase {
  kind: 'attestation';
  type: 'secret' | 'idevid' | 'tpm' | 'sim';
  verdict: 'pass' | 'fail';
  /** Why evidence failed: the attestation reason code (PCR_MISMATCH, NONCE_MISMATCH, …). */
  reason?: string;
  /** The stored result: a pass, or a refusal kept for the operator (verdict fail, reason code). */
  resultId?: string;
}
export interface FirmwareEvent extends FactEventBase {
  kind: 'firmware';
  firmwareVersion: string;
}
export interface SimSeenEvent extends FactEventBase {
  kind: 'sim-seen';
  iccid: string;
  imei: string;
  imsi?: string;
  servingCountry?: string;
  /** SHA-256 (hex) of the SubjectPublicKeyInfo of the key the device proved with the sighting. */
  keySha256?: string;
}
export type FactEvent = BehaviourEvent | AttestationResultEvent | FirmwareEvent | SimSeenEvent;

export interface PolicyStatsReply {
  accepted: number;
  malformed: number;
  rescored: number;
  quarantined: number;
  revocationRequests: number;
  revocationFailures: number;
}

export interface RevokeDeviceRequest {
  deviceId: string;
  /** RFC 5280 reason; default privilegeWithdrawn (policy quarantine). */
  reason?: 'keyCompromise' | 'privilegeWithdrawn' | 'affiliationChanged' | 'cessationOfOperation';
  cause: string;
  actor: string;
}
export interface RevokeDeviceReply {
  deviceId: string;
  revoked: { serial: string; issuerId: string; sequence: number }[];
}

/** A signed policy bundle in the KV bucket: the policy and a detached Ed25519 signature. */
export interface PolicyBundle {
  format: 'iis.policy-bundle/v1';
  policyVersion: string;
  /** base64 of the canonical JSON bytes that are signed: `{ policyVersion, issuedAt, document }`. */
  payload: string;
  /** Mandatory: which signing key; a bundle without one is rejected (cf. GHSA-g2pf-6v5v-qcc8). */
  keyId: string;
  /** base64 Ed25519 signature over the payload bytes. */
  signature: string;
}
