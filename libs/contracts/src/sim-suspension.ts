import type { SimStatus, SimView } from './messages';

/**
 * A suspended SIM (issue 5): its certificates are put on certificateHold and released again
 * on resume (RFC 5280 5.3.1). Onboarding owns the SIM status, the revocation service the holds.
 */
export const SimSuspensionSubjects = {
  /** Onboarding: active → suspended (idempotent); a lost or retired SIM cannot be suspended. */
  markSuspended: 'iis.v1.onboarding.sims.mark-suspended',
  /** Onboarding: suspended → active; any other status is a conflict. */
  markResumed: 'iis.v1.onboarding.sims.mark-resumed',
  /** Revocation: suspend the SIM and hold its unexpired certificates. */
  suspend: 'iis.v1.revocation.sims.suspend',
  /** Revocation: release the holds and resume the SIM. */
  resume: 'iis.v1.revocation.sims.resume',
} as const;

export interface MarkSimStatusRequest {
  iccid: string;
  reason: string;
  actor: string;
}
export interface MarkSimStatusReply {
  sim: SimView;
  /** False when the SIM already had the status asked for. */
  changed: boolean;
}

export interface SuspendSimRequest {
  iccid: string;
  reason: string;
  actor: string;
}
export interface SuspendSimReply {
  iccid: string;
  deviceId: string | null;
  simStatus: SimStatus;
  alreadySuspended: boolean;
  /** Certificates put on hold now. */
  held: { serial: string; issuerId: string; sequence: number }[];
}

export interface ResumeSimRequest {
  iccid: string;
  reason?: string;
  actor: string;
}
export interface ResumeSimReply {
  iccid: string;
  simStatus: SimStatus;
  /** Certificates whose hold ended now (removeFromCRL). */
  released: { serial: string; issuerId: string; sequence: number }[];
}
