/**
 * Onboarding contracts added by the EST / registry work (issue 3): device and SIM listing,
 * bulk import, EST labels and operator approval of pending enrollments. Kept apart from
 * messages.ts so parallel work merges cleanly.
 */
import type { DeviceStatus, DeviceView, SimStatus, SimView } from './messages';

export const OnboardingSubjects = {
  showDevice: 'iis.v1.onboarding.devices.show',
  importDevices: 'iis.v1.onboarding.devices.import',
  setDeviceStatus: 'iis.v1.onboarding.devices.set-status',
  addSim: 'iis.v1.onboarding.sims.add',
  listSims: 'iis.v1.onboarding.sims.list',
  setEstLabel: 'iis.v1.onboarding.est-labels.set',
  listEstLabels: 'iis.v1.onboarding.est-labels.list',
  listEnrollments: 'iis.v1.onboarding.enrollments.list',
  decideEnrollment: 'iis.v1.onboarding.enrollments.decide',
  listPending: 'iis.v1.onboarding.enrollments.pending.list',
} as const;

/** Registry details a device may carry beyond the skeleton's DeviceView. */
export interface DeviceDetails {
  manufacturer: string | null;
  firmwareVersion: string | null;
  firstEnrolledAt: string | null;
}
export type DeviceDetailView = DeviceView & DeviceDetails;

export interface SetDeviceStatusRequest {
  serial: string;
  status: DeviceStatus;
  actor: string;
}

/** One CSV row as idctl read it; `line` is the 1-based line number in the file. */
export interface ImportDeviceRow {
  line: number;
  serial: string;
  deviceClass?: string;
  manufacturer?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  imei?: string;
}
export interface ImportDevicesRequest {
  rows: ImportDeviceRow[];
  /** Also create a one-time enrollment secret per imported device (manufacturing line). */
  withSecrets?: boolean;
  actor: string;
}
export interface ImportDevicesReply {
  imported: number;
  rejected: { line: number; reason: string }[];
  /** Present with withSecrets: the secret of every imported device, shown once. */
  secrets?: { serial: string; secret: string; expiresAt: string }[];
}

export interface AddSimRequest {
  iccid: string;
  imsi: string;
  imei: string;
  /** Bind to this device (which must not have a SIM yet). */
  deviceSerial?: string;
  actor: string;
}
export interface ListSimsRequest {
  status?: SimStatus;
  after?: string;
  limit?: number;
}
export interface ListSimsReply {
  sims: SimView[];
  next: string | null;
}

/** An EST label (`/.well-known/est/<label>/…`): which CA profile, and what a CSR must bring. */
export interface EstLabelView {
  name: string;
  /** The CA profile certificates under this label are issued with. */
  profile: 'device';
  /** Key types accepted and advertised in csrattrs, e.g. ["P-256"]. */
  keyTypes: string[];
  /** RFC 7030 3.5: the CSR must carry the TLS channel binding in challengePassword. */
  requireProofOfPossession: boolean;
  /** An operator approves each enrollment before the certificate is issued (EST 202). */
  requireApproval: boolean;
  /** Issued certificates live at most this long (the policy decision may shorten it). */
  maxTtlSeconds: number | null;
}
export type SetEstLabelRequest = EstLabelView & { actor: string };
export interface ListEstLabelsReply {
  labels: EstLabelView[];
}

export type EnrollmentOutcome = 'issued' | 'refused' | 'failed' | 'pending';
export interface EnrollmentRecordView {
  id: string;
  createdAt: string;
  operation: string;
  label: string | null;
  deviceId: string | null;
  claimedSerial: string | null;
  sourceAddress: string | null;
  authorizer: string | null;
  outcome: EnrollmentOutcome;
  errorCode: string | null;
  reason: string | null;
  decisionId: string | null;
  attestationId: string | null;
  certificateSerial: string | null;
  pendingId: string | null;
}
export interface ListEnrollmentsRequest {
  serial?: string;
  outcome?: EnrollmentOutcome;
  limit?: number;
}
export interface ListEnrollmentsReply {
  enrollments: EnrollmentRecordView[];
}

export type PendingStatus = 'pending' | 'approved' | 'rejected' | 'completed';
export interface PendingEnrollmentView {
  id: string;
  deviceSerial: string;
  label: string;
  status: PendingStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}
export interface DecideEnrollmentRequest {
  id: string;
  approve: boolean;
  actor: string;
}
export interface ListPendingRequest {
  status?: PendingStatus;
}
export interface ListPendingReply {
  pending: PendingEnrollmentView[];
}
