/**
 * Message types for every subject in subjects.ts. Binary values (DER) travel as base64
 * strings and times as ISO 8601 strings, so every message is plain JSON.
 */

export type DeviceStatus = 'pending' | 'active' | 'quarantined' | 'retired';
export type SimStatus = 'active' | 'suspended' | 'lost' | 'retired';

export interface SimView {
  iccid: string;
  imsi: string;
  imei: string;
  status: SimStatus;
  deviceId: string | null;
  lostAt: string | null;
  /** SHA-256 (hex) of the SubjectPublicKeyInfo of the device key bound to the SIM: the key of the last certificate issued through it. */
  keySha256?: string | null;
  keyBoundAt?: string | null;
}

export interface DeviceView {
  id: string;
  serial: string;
  deviceClass: string;
  status: DeviceStatus;
  createdAt: string;
  sim: SimView | null;
}

// onboarding
export interface RegisterDeviceRequest {
  serial: string;
  deviceClass?: string;
  sim: { iccid: string; imsi: string; imei: string };
  actor: string;
}
export type RegisterDeviceReply = DeviceView;

export interface GetDeviceRequest {
  serial?: string;
  id?: string;
}
export type GetDeviceReply = DeviceView;

export interface CreateSecretRequest {
  serial: string;
  ttlSeconds?: number;
  actor: string;
}
export interface CreateSecretReply {
  serial: string;
  secret: string;
  expiresAt: string;
}

export interface GetSimRequest {
  iccid: string;
}
export type GetSimReply = SimView;

export interface MarkSimLostRequest {
  iccid: string;
  reason: string;
  actor: string;
}
export interface MarkSimLostReply {
  sim: SimView;
  /** False when the SIM was already lost: the command is idempotent. */
  changed: boolean;
}

// ca
export type CertificateProfile = 'device' | 'server';

export interface IssueCertificateRequest {
  /** base64 DER PKCS#10; it proves key possession and nothing else. */
  csr: string;
  profile: CertificateProfile;
  /** Identity comes from the registry, never from the CSR. */
  subject: { commonName: string; deviceId?: string; dnsNames?: string[]; ipAddresses?: string[] };
  ttlSeconds: number;
  deviceId?: string;
  iccid?: string;
  /**
   * Optional, 64 hex characters. A repeat with the same key gets the certificate already issued
   * under it (while unrevoked and unexpired, for the same device and public key) instead of a
   * second one: a requester that lost the answer can retry without leaving an orphan.
   */
  idempotencyKey?: string;
  /**
   * The attestation result the issuance rests on (a UUID): the CA reads it from the attestation
   * service and refuses one that did not pass, is another device's or was not spent by an
   * enrollment (403 ATTESTATION_REQUIRED); kept with the certificate.
   */
  attestationResultId?: string;
}
export interface IssuedCertificate {
  serial: string;
  issuerId: string;
  /** base64 DER */
  certificate: string;
  /** base64 DER, issuing CA first, root last */
  chain: string[];
  notBefore: string;
  notAfter: string;
}

export interface FindCertificatesRequest {
  deviceId?: string;
  iccid?: string;
  /** Only certificates with notAfter after this instant (ISO 8601). */
  unexpiredAt?: string;
  /** Only certificates not yet revoked. */
  unrevoked?: boolean;
}
export interface CertificateSummary {
  serial: string;
  issuerId: string;
  deviceId: string | null;
  iccid: string | null;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  /** The subject CN (the device serial for device certificates). */
  subjectCommonName?: string | null;
  /** The attestation result the issuance rested on, where there was one. */
  attestationResultId?: string | null;
}
export interface FindCertificatesReply {
  certificates: CertificateSummary[];
}

export interface CaCertsReply {
  /** base64 DER: issuing CA(s) first, then root */
  certificates: string[];
  /** Ids of the issuing CAs, in the order of the first entries of `certificates`. */
  issuerIds: string[];
  /** The root's id (the last certificate): its ARL is asked for under it. */
  rootId?: string;
}

export interface CrlRequest {
  issuerId: string;
  /** Wait until the CA has applied revocation events up to this stream sequence. */
  atLeastSequence?: number;
}
export interface CrlReply {
  issuerId: string;
  /** PEM */
  crl: string;
  crlNumber: number;
  appliedSequence: number;
}

// policy
export interface DecisionRequest {
  deviceId: string | null;
  deviceStatus: DeviceStatus | null;
  simStatus: SimStatus | null;
  action: 'enroll' | 'reenroll';
  /**
   * Optional facts the caller knows (issue 7), flat by fact name, e.g.
   * `{ "network.sourceIp": "10.0.0.7", "firmware.version": "2.1.0", "attestation.type": "tpm" }`.
   * Merged over what the policy service has learned about the device from fact events.
   */
  facts?: Record<string, string | number | boolean | null>;
  /**
   * The attestation result the enrollment spends (issue 6): the policy service reads it by id
   * from the attestation service and decides on its type, verdict and age, whether or not its
   * fact event has arrived yet. Recorded with the decision.
   */
  attestationResultId?: string;
}
/** `allow` covers the trust outcomes allow, allow-short-ttl and restrict (with their TTL); the rest is `deny`. */
export type DecisionOutcome = 'allow' | 'deny';
export interface DecisionReply {
  decisionId: string;
  outcome: DecisionOutcome;
  /** The CA applies it: shorter for allow-short-ttl and restrict. */
  ttlSeconds: number;
  policyVersion: string;
  reasons: string[];
  /** Issue 7: 0-100 trust score, the five-way outcome and each fired rule with its contribution. */
  score?: number;
  trustOutcome?: 'allow' | 'allow-short-ttl' | 'restrict' | 'quarantine' | 'deny';
  explanation?: { ruleId: string; description: string; contribution: number; cap?: string }[];
}

// attestation
export interface ChallengeRequest {
  deviceId: string;
  /** Shorter than the service's TTL if the device wants (seconds, at least 1). */
  ttlSeconds?: number;
  /**
   * Credential activation (TPM 2.0 Part 1 §24): base64 TPM2B_PUBLIC of the EK and the AK, and
   * the EK certificate (PEM or base64 DER) that chains to a TPM vendor CA, with the
   * intermediates in between where the vendor has them (at most 4; TPM vendors commonly issue
   * EK certificates from an intermediate under their root). The reply then carries a credential
   * only that TPM can release, and only for that AK.
   */
  tpm?: { ekPublic: string; akPublic: string; ekCertificate: string; ekCertificateChain?: string[] };
}
export interface ChallengeReply {
  challengeId: string;
  /** base64, 32 random bytes */
  nonce: string;
  expiresAt: string;
  /** base64 of the file tpm2_activatecredential -i reads (present with `tpm` in the request). */
  credential?: string;
}
export interface ConsumeChallengeRequest {
  deviceId: string;
  nonce: string;
}
export interface ConsumeChallengeReply {
  challengeId: string;
}

// revocation
/** RFC 5280 5.3.1 CRLReason */
export const RevocationReasons = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type RevocationReason = keyof typeof RevocationReasons;

export interface ReportSimLostRequest {
  iccid: string;
  reason: string;
  actor: string;
}
export interface ReportSimLostReply {
  iccid: string;
  deviceId: string | null;
  simStatus: SimStatus;
  alreadyLost: boolean;
  revoked: { serial: string; issuerId: string; sequence: number }[];
}

/** Published on Streams.revocations; one event per revoked certificate. */
export interface RevocationEvent {
  version: 1;
  /** The revocation log's own sequence, dense per revocation service. */
  logSequence: number;
  serial: string;
  issuerId: string;
  reason: RevocationReason;
  revokedAt: string;
  /** The certificate's notAfter: a subscriber may forget the entry after it. */
  notAfter: string;
  deviceId: string | null;
  iccid: string | null;
  cause: string;
  /**
   * The certificate's subject CN (the device serial for device certificates): brokers
   * that take the client's identity from its certificate know the session by it.
   * Optional: events written before it existed lack it.
   */
  subjectCommonName?: string | null;
}
