import { X509Certificate } from 'node:crypto';
import { DomainError, ErrorCode } from '@iis/contracts';

/**
 * Which client certificates may become an operator credential (framework-free). The TLS
 * listener has already checked the chain at connection time; these rules apply when a
 * security-admin binds a certificate to a name and role, and again on every request.
 *
 * Until the CA's `operator` profile lands (issue 4), any clientAuth certificate from this
 * suite's CA qualifies except a device's (one naming a device in a SPIFFE URI): a device's
 * key must never open the operator API. With the profile, require its URI here.
 */
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

export interface OperatorCertificateFacts {
  /** SHA-256 of the DER, lower-case hex: what a binding is keyed by. */
  fingerprint: string;
  /** Lower-case hex of whole octets, no leading zero octet: as the CA stores it. */
  serial: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

function octetHex(serial: string): string {
  const digits = serial.toLowerCase().replace(/^0+/, '') || '0';
  return digits.length % 2 === 1 ? `0${digits}` : digits;
}

export function parseCertificate(input: string | Buffer): X509Certificate {
  try {
    return new X509Certificate(input);
  } catch {
    throw new DomainError(ErrorCode.BadRequest, 'certificate must be one X.509 certificate, PEM or DER');
  }
}

export function fingerprintOf(cert: X509Certificate): string {
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

export function operatorCertificateFacts(cert: X509Certificate, caChain: X509Certificate[], now: Date): OperatorCertificateFacts {
  const issuer = caChain.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
  if (!issuer) throw new DomainError(ErrorCode.BadRequest, "the certificate was not issued by this suite's CA");
  if (cert.ca) throw new DomainError(ErrorCode.BadRequest, 'a CA certificate cannot be an operator credential');
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore || now >= notAfter) throw new DomainError(ErrorCode.BadRequest, `the certificate is not valid now (valid ${notBefore.toISOString()} to ${notAfter.toISOString()})`);
  const eku = cert.keyUsage ?? [];
  if (!eku.includes(CLIENT_AUTH_OID)) throw new DomainError(ErrorCode.BadRequest, 'the certificate is not for TLS client authentication (no clientAuth extended key usage)');
  if (/URI:spiffe:\/\/[^/,]+\/device\//i.test(cert.subjectAltName ?? '')) {
    throw new DomainError(ErrorCode.BadRequest, "a device's certificate cannot be an operator credential");
  }
  return { fingerprint: fingerprintOf(cert), serial: octetHex(cert.serialNumber), subject: cert.subject.replace(/\n/g, ', '), notBefore, notAfter };
}
