import { RevocationEvent, RevocationReasons, Streams } from '@iis/contracts';
import { isIssuerId } from './issuer-id';
import { normalizeSerial } from './serial-number';

/** Why a stream message was skipped. Specs assert these, never the detail text. */
export enum EventRejectCode {
  NotJson = 'NOT_JSON',
  NotAnObject = 'NOT_AN_OBJECT',
  UnsupportedVersion = 'UNSUPPORTED_VERSION',
  MissingField = 'MISSING_FIELD',
  BadField = 'BAD_FIELD',
  /** The subject names another issuer than the event: a publisher may only speak for its own. */
  SubjectMismatch = 'SUBJECT_MISMATCH',
}

export type EventValidation =
  /** `signature` is the message's signature field as sent, for RevocationSignatureVerifier. */
  | { ok: true; event: RevocationEvent; signature?: unknown }
  | { ok: false; code: EventRejectCode; field?: keyof RevocationEvent; detail: string };

/** ISO 8601 date-time with a zone, as `Date.prototype.toISOString` and RFC 3339 write it. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

type FieldCheck = (value: unknown) => boolean;

const isIsoDateTime: FieldCheck = (v) => typeof v === 'string' && ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
const isNullableString: FieldCheck = (v) => v === null || typeof v === 'string';

/** Every field of a version 1 event and what it must hold; all are required (null where allowed). */
const FIELDS: [keyof RevocationEvent, FieldCheck][] = [
  ['logSequence', (v) => Number.isSafeInteger(v) && (v as number) >= 0],
  ['serial', (v) => typeof v === 'string' && normalizeSerial(v) !== undefined],
  ['issuerId', isIssuerId],
  ['reason', (v) => typeof v === 'string' && Object.prototype.hasOwnProperty.call(RevocationReasons, v)],
  ['revokedAt', isIsoDateTime],
  ['notAfter', isIsoDateTime],
  ['deviceId', isNullableString],
  ['iccid', isNullableString],
  ['cause', (v) => typeof v === 'string'],
];

/**
 * Shape check of one revocation stream message (contracts `RevocationEvent`, version 1).
 * `subject`, when given, must be the event subject of the event's own issuer.
 */
export function validateRevocationEvent(data: Uint8Array | string, subject?: string): EventValidation {
  let parsed: unknown;
  try {
    // A view over the message bytes, not a copy (Buffer.from(Uint8Array) would copy them).
    parsed = JSON.parse(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { ok: false, code: EventRejectCode.NotJson, detail: 'message is not JSON' };
  }
  return validateEventObject(parsed, subject);
}

/** The same check for a value already parsed (the state file reuses it for its entries). */
export function validateEventObject(parsed: unknown, subject?: string): EventValidation {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, code: EventRejectCode.NotAnObject, detail: 'message is not a JSON object' };
  }
  const raw = parsed as Record<string, unknown>;
  if (raw.version !== 1) {
    return { ok: false, code: EventRejectCode.UnsupportedVersion, field: 'version', detail: `version ${JSON.stringify(raw.version)} is not 1` };
  }
  for (const [field, check] of FIELDS) {
    if (!(field in raw)) return { ok: false, code: EventRejectCode.MissingField, field, detail: `${field} is missing` };
    if (!check(raw[field])) return { ok: false, code: EventRejectCode.BadField, field, detail: `${field} has a wrong type or format` };
  }
  // A fresh object: fields the contract does not know are not carried further.
  const event: RevocationEvent = {
    version: 1,
    logSequence: raw.logSequence as number,
    serial: raw.serial as string,
    issuerId: raw.issuerId as string,
    reason: raw.reason as RevocationEvent['reason'],
    revokedAt: raw.revokedAt as string,
    notAfter: raw.notAfter as string,
    deviceId: raw.deviceId as string | null,
    iccid: raw.iccid as string | null,
    cause: raw.cause as string,
  };
  if ('subjectCommonName' in raw) {
    if (!isNullableString(raw.subjectCommonName)) {
      return { ok: false, code: EventRejectCode.BadField, field: 'subjectCommonName', detail: 'subjectCommonName has a wrong type' };
    }
    event.subjectCommonName = raw.subjectCommonName as string | null;
  }
  if (subject !== undefined && subject !== Streams.revocations.eventSubject(event.issuerId)) {
    return { ok: false, code: EventRejectCode.SubjectMismatch, field: 'issuerId', detail: `subject ${subject} is not the subject of issuer ${event.issuerId}` };
  }
  return { ok: true, event, signature: raw.signature };
}
