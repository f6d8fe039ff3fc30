import { DomainError, ErrorCode } from '@iis/contracts';
import { bytes, x509 } from '@iis/pki';
import { KeyType, keyTypeOf } from './csrattrs';

/**
 * Small pure checks an enrollment's CSR goes through after its signature verified, in a
 * fixed order: key type for the label, proof-of-possession linking, re-enroll identity.
 */

/** The label accepts only some key types (what its csrattrs advertise). */
export function checkKeyType(keyDescription: string, allowed: readonly string[]): void {
  const type = keyTypeOf(keyDescription);
  if (!type || !allowed.includes(type)) {
    throw new DomainError(ErrorCode.BadCsr, `key ${keyDescription} is not accepted under this label (accepted: ${allowed.join(', ')})`);
  }
}

/** tls-unique (TLS 1.2 Finished: 12 bytes) or tls-exporter (TLS 1.3: 32 bytes), base64. */
function looksLikeBinding(value: string): boolean {
  const t = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return false;
  const n = Buffer.from(t, 'base64').length;
  return n === 12 || n === 32;
}

/**
 * RFC 7030 3.5: the client links its CSR to the TLS channel by putting the base64 channel
 * binding in challengePassword. A value shaped like a binding must match this connection;
 * a label that requires linking refuses a CSR without it.
 */
export function checkProofOfPossession(challengePassword: string | null, binding: Buffer | null, required: boolean): 'linked' | 'not-linked' {
  const present = challengePassword !== null && looksLikeBinding(challengePassword);
  if (!present) {
    if (required) {
      throw new DomainError(
        ErrorCode.BadCsr,
        'this label requires proof-of-possession linking (RFC 7030 3.5): put the base64 tls-unique (TLS 1.2) or tls-exporter (TLS 1.3) value of this connection in the CSR challengePassword',
      );
    }
    return 'not-linked';
  }
  const sent = Buffer.from(challengePassword!.trim(), 'base64');
  if (!binding || sent.length !== binding.length || !sent.equals(binding)) {
    throw new DomainError(ErrorCode.BadCsr, 'the CSR challengePassword does not carry the channel binding of this TLS connection (RFC 7030 3.5)');
  }
  return 'linked';
}

function sanOf(ext: x509.Extension | null): string[] {
  if (!ext) return [];
  return new x509.SubjectAlternativeNameExtension(ext.rawData).names.items.map((n) => `${n.type}:${n.value}`).sort();
}

/**
 * RFC 7030 4.2.2: a re-enroll keeps the Subject and SubjectAltName of the certificate being
 * renewed; the key may change. A CSR without a SAN extension is accepted (many clients do
 * not copy it); the new certificate's SAN comes from the registry anyway.
 */
export function checkReenrollIdentity(csrDer: Buffer, current: x509.X509Certificate): void {
  try {
    compareIdentity(csrDer, current);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(ErrorCode.BadCsr, `the CSR subject or subjectAltName cannot be read: ${(e as Error).message}`);
  }
}

function compareIdentity(csrDer: Buffer, current: x509.X509Certificate): void {
  const csr = new x509.Pkcs10CertificateRequest(bytes(csrDer));
  const want = current.subjectName.toString();
  if (csr.subjectName.toString() !== want) {
    throw new DomainError(ErrorCode.BadCsr, `re-enroll must keep the subject of the current certificate (${want}); the CSR asks for "${csr.subject}"`);
  }
  const csrSan = csr.getExtension('2.5.29.17');
  if (csrSan) {
    const a = sanOf(csrSan).join(',');
    const b = sanOf(current.getExtension('2.5.29.17')).join(',');
    if (a !== b) throw new DomainError(ErrorCode.BadCsr, `re-enroll must keep the subjectAltName of the current certificate (${b}); the CSR asks for ${a}`);
  }
}

export type { KeyType };
