import type { DeviceView } from './messages';

/**
 * Read models the operator API needs from the other services (issue 8): searches with keyset
 * pagination that hold up at a million rows, and fleet figures for `idctl status`.
 * New subjects live here, apart from subjects.ts, so that parallel work does not collide.
 */
export const OperatorSubjects = {
  onboarding: {
    /** Devices by status, SIMs by status. */
    registryStats: 'iis.v1.onboarding.registry.stats',
    /** DeviceListRequest → DeviceListReply */
    listDevices: 'iis.v1.onboarding.devices.list',
  },
  ca: {
    /** CertificateSearchRequest → CertificateSearchReply */
    searchCertificates: 'iis.v1.ca.certificates.search',
    /** CertificateStatsRequest → CertificateStatsReply */
    certificateStats: 'iis.v1.ca.certificates.stats',
  },
  revocation: {
    /** RevocationListRequest → RevocationListReply */
    listRevocations: 'iis.v1.revocation.revocations.list',
  },
} as const;

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export interface CertificateSearchRequest {
  deviceId?: string;
  iccid?: string;
  /** Lower-case hex. */
  serial?: string;
  status?: CertificateStatus;
  /** ISO 8601: notAfter >= this. */
  expiresAfter?: string;
  /** ISO 8601: notAfter < this. */
  expiresBefore?: string;
  /** The opaque nextCursor of the previous page. */
  cursor?: string;
  /** 1..1000 */
  limit?: number;
}

export interface CertificateSearchItem {
  serial: string;
  issuerId: string;
  profile: string;
  deviceId: string | null;
  iccid: string | null;
  subject: string;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  status: CertificateStatus;
  /** The attestation result the issuance rested on, where the device class required one. */
  attestationResultId: string | null;
}

export interface CertificateSearchReply {
  certificates: CertificateSearchItem[];
  nextCursor: string | null;
}

export interface CertificateStatsRequest {
  /** Count certificates valid now whose notAfter is within this many seconds. */
  expiringWithinSeconds: number;
  /** Count certificates revoked at or after this instant (ISO 8601). */
  revokedSince: string;
}

export interface CertificateStatsReply {
  valid: number;
  expiringSoon: number;
  revokedSince: number;
}

export interface RegistryStatsReply {
  devicesByStatus: Record<string, number>;
  simsByStatus: Record<string, number>;
}

export interface RevocationListRequest {
  /** ISO 8601: revokedAt >= this. */
  since?: string;
  deviceId?: string;
  iccid?: string;
  /** The nextCursor of the previous oldest-first page (a log sequence number): sequence > after. */
  after?: number;
  /** The nextCursor of the previous newest-first page: sequence < before. */
  before?: number;
  /** 'oldest' (default): ascending log sequence, page on with `after`; 'newest': descending, page on with `before`. */
  order?: 'oldest' | 'newest';
  /** 1..1000 */
  limit?: number;
}

export interface RevocationListItem {
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

export interface RevocationListReply {
  revocations: RevocationListItem[];
  nextCursor: number | null;
}

export interface DeviceListRequest {
  /** pending, active, quarantined, retired */
  status?: string;
  deviceClass?: string;
  /** The nextCursor of the previous page (a serial). */
  after?: string;
  /** 1..1000 */
  limit?: number;
}

export interface DeviceListReply {
  /** DeviceView from messages.ts, each with its SIM. */
  devices: DeviceView[];
  nextCursor: string | null;
}
