import { DomainError, ErrorCode } from '@iis/contracts';

/** Largest EST request body accepted; a CSR is a few hundred bytes to a few KiB. */
export const EST_MAX_BODY_BYTES = 64 * 1024;

/**
 * RFC 7030 4.2.1 with RFC 8951 2: the body is base64 DER; clients differ on line breaks
 * and on Content-Transfer-Encoding, so any whitespace is accepted and the header is not
 * required. Anything outside the base64 alphabet is refused rather than skipped.
 */
export function decodeEstBase64(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/[\r\n\t ]+/g, '');
  if (text.length === 0) throw new DomainError(ErrorCode.BadCsr, 'empty body: expected a base64-encoded PKCS#10 request');
  // RFC 7030 4.2.1, RFC 8951 3: base64 of the DER, no PEM armour (a common client mistake: say so).
  if (text.startsWith('-----BEGIN')) throw new DomainError(ErrorCode.BadCsr, 'PEM armour is not accepted: send only the base64 of the DER PKCS#10 request (RFC 7030 4.2.1), without the -----BEGIN/END lines');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new DomainError(ErrorCode.BadCsr, 'body is not base64: expected a base64-encoded DER PKCS#10 request');
  }
  return Buffer.from(text, 'base64');
}

/** RFC 7030 4.2.1: simpleenroll and simplereenroll carry application/pkcs10. */
export function requirePkcs10ContentType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/pkcs10') {
    throw new DomainError(ErrorCode.UnsupportedMediaType, `Content-Type must be application/pkcs10, got "${contentType ?? ''}"`);
  }
}

/** RFC 7617: "Basic base64(user:password)"; the user name ends at the first colon. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
