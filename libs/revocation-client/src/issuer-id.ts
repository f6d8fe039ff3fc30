/**
 * An issuer id names a file (`crl/<issuerId>.crl.pem`) and a subject token
 * (`iis.v1.revocation.events.<issuerId>`), so it may hold neither a dot, a slash nor a
 * wildcard: letters, digits, `-` and `_`, starting with a letter or digit.
 */
export const ISSUER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isIssuerId(value: unknown): value is string {
  return typeof value === 'string' && ISSUER_ID.test(value);
}
