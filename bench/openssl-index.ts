import type { CertStatus } from '@iis/pki';

const REASONS = ['unspecified', 'keyCompromise', 'CACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold'];

/**
 * The certificate statuses in an `openssl ca` index.txt (tab separated: status, expiry,
 * revocation date[,reason], serial, file, subject), by lower-case serial without leading zeros.
 */
export function readOpensslIndex(text: string): Map<string, CertStatus> {
  const out = new Map<string, CertStatus>();
  for (const line of text.split('\n')) {
    const [flag, , revoked, serial] = line.split('\t');
    if (!serial) continue;
    const key = normalSerial(serial);
    if (flag === 'V') out.set(key, { kind: 'good' });
    else if (flag === 'R') {
      const [when, reason] = revoked.split(',');
      out.set(key, { kind: 'revoked', revokedAt: utcTime(when), reasonCode: Math.max(0, REASONS.indexOf(reason ?? 'unspecified')) });
    }
  }
  return out;
}

/** RFC 5280 4.1.2.5.1 UTCTime YYMMDDHHMMSSZ, years 50–99 are 19xx. */
function utcTime(s: string): Date {
  const yy = Number(s.slice(0, 2));
  return new Date(Date.UTC(yy >= 50 ? 1900 + yy : 2000 + yy, Number(s.slice(2, 4)) - 1, Number(s.slice(4, 6)), Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12))));
}

/** Serials compared as the same number: lower case, no leading zeros. */
export function normalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}
