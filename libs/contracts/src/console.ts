import type { DeviceStatus, SimView } from './messages';

/**
 * Read models and commands the web console needs (issue 11): SIM search by any of its
 * identifiers, restoring a SIM reported lost by mistake, and certificates over time.
 * New subjects live here, apart from subjects.ts, so that parallel work does not collide.
 */
export const ConsoleSubjects = {
  onboarding: {
    /** SimSearchRequest → SimSearchReply */
    searchSims: 'iis.v1.onboarding.sims.search',
    /** RestoreSimRequest → RestoreSimReply */
    restoreSim: 'iis.v1.onboarding.sims.restore',
  },
  ca: {
    /** CertificateTimelineRequest → CertificateTimelineReply */
    certificateTimeline: 'iis.v1.ca.certificates.timeline',
  },
} as const;

/** Exact match on one or more identifiers; at least one is required. */
export interface SimSearchRequest {
  iccid?: string;
  imsi?: string;
  imei?: string;
}
export interface SimSearchItem extends SimView {
  device: { id: string; serial: string; status: DeviceStatus; deviceClass: string } | null;
}
export interface SimSearchReply {
  sims: SimSearchItem[];
}

export interface RestoreSimRequest {
  iccid: string;
  actor: string;
}
export interface RestoreSimReply {
  sim: SimView;
  /** False when the SIM was not lost: the command is idempotent. */
  changed: boolean;
}

export interface CertificateTimelineRequest {
  /** Width of one bucket, 60 s to 1 day. */
  bucketSeconds: number;
  /** Buckets on each side of now, 1 to 168. */
  buckets: number;
}
export interface CertificateTimelineReply {
  /** The instant the buckets are measured from (ISO 8601). */
  at: string;
  bucketSeconds: number;
  /** Certificates issued (notBefore) per bucket, oldest first; the last bucket ends at `at`. */
  issued: number[];
  /** Certificates valid now that expire (notAfter) per bucket, soonest first; the first starts at `at`. */
  expiring: number[];
}
