import { CertificateSearchRequest, CertificateStatus, DomainError, ErrorCode } from '@iis/contracts';

/**
 * A certificate search, checked (framework-free). Pages are keyset, never OFFSET: by serial, or
 * by (notAfter, serial) when an expiry window is given, each backed by an index, so page 10,000
 * costs what page 1 costs. The cursor is opaque to callers.
 */
export interface CertificateSearch {
  deviceId?: string;
  iccid?: string;
  serial?: string;
  status?: CertificateStatus;
  expiresAfter?: Date;
  expiresBefore?: Date;
  order: 'serial' | 'notAfter';
  after?: { notAfter?: Date; serial: string };
  limit: number;
}

export const MAX_CERTIFICATE_PAGE = 1000;

export function parseCertificateSearch(req: CertificateSearchRequest | undefined): CertificateSearch {
  const r = (req ?? {}) as Record<string, unknown>;
  const text = (key: string, pattern: RegExp, what: string): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !pattern.test(v)) throw new DomainError(ErrorCode.BadRequest, `${key} must be ${what}`);
    return v;
  };
  const time = (key: string): Date | undefined => {
    const v = text(key, /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'an ISO 8601 date or time');
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new DomainError(ErrorCode.BadRequest, `${key} must be an ISO 8601 date or time`);
    return d;
  };
  const status = r.status;
  if (status !== undefined && status !== null && !['valid', 'expired', 'revoked'].includes(status as string)) {
    throw new DomainError(ErrorCode.BadRequest, 'status must be valid, expired or revoked');
  }
  const limit = r.limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_CERTIFICATE_PAGE) {
    throw new DomainError(ErrorCode.BadRequest, `limit must be a whole number from 1 to ${MAX_CERTIFICATE_PAGE}`);
  }
  const expiresAfter = time('expiresAfter');
  const expiresBefore = time('expiresBefore');
  if (expiresAfter && expiresBefore && expiresAfter >= expiresBefore) throw new DomainError(ErrorCode.BadRequest, 'expiresAfter must be before expiresBefore');
  const order = expiresAfter || expiresBefore ? 'notAfter' : 'serial';
  const cursor = text('cursor', /^[A-Za-z0-9_-]{1,200}$/, 'the nextCursor of a previous page');
  return {
    deviceId: text('deviceId', /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device id'),
    iccid: text('iccid', /^\d{18,22}$/, '18 to 22 digits'),
    serial: octetHex(text('serial', /^[0-9a-fA-F]{1,64}$/, 'hexadecimal')),
    status: (status ?? undefined) as CertificateStatus | undefined,
    expiresAfter,
    expiresBefore,
    order,
    after: cursor === undefined ? undefined : decodeCursor(cursor, order),
    limit,
  };
}

export function encodeCursor(order: CertificateSearch['order'], last: { notAfter: Date; serial: string }): string {
  const value = order === 'notAfter' ? ['n', last.notAfter.getTime(), last.serial] : ['s', last.serial];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: string, order: CertificateSearch['order']): { notAfter?: Date; serial: string } {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const bad = () => new DomainError(ErrorCode.BadRequest, 'cursor is not one this search gave out (were the filters changed?)');
  if (!Array.isArray(v)) throw bad();
  const hex = (s: unknown) => typeof s === 'string' && /^[0-9a-f]{1,64}$/.test(s);
  if (order === 'serial' && v.length === 2 && v[0] === 's' && hex(v[1])) return { serial: v[1] };
  if (order === 'notAfter' && v.length === 3 && v[0] === 'n' && Number.isSafeInteger(v[1]) && hex(v[2])) return { notAfter: new Date(v[1]), serial: v[2] };
  throw bad();
}

/**
 * A serial as the store keeps it: lower-case hex of the INTEGER's octets, no leading zero
 * octet, so `0a1b`, `A1B` and `000a1b` all find `0a1b`.
 */
export function octetHex(serial: string | undefined): string | undefined {
  if (serial === undefined) return undefined;
  const digits = serial.toLowerCase().replace(/^0+/, '') || '0';
  return digits.length % 2 === 1 ? `0${digits}` : digits;
}

/** What a certificate is at `now`. */
export function certificateStatus(c: { notAfter: Date; revokedAt: Date | null }, now: Date): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  return new Date(c.notAfter) <= now ? 'expired' : 'valid';
}
