import { DomainError, ErrorCode } from '@iis/contracts';
import { bytes, x509 } from '@iis/pki';

/** Nest-free checks of a certificate this CA issued, presented as a TLS client certificate. */

export function parseCertificate(der: Buffer): x509.X509Certificate | null {
  try {
    return new x509.X509Certificate(bytes(der));
  } catch {
    return null;
  }
}

/** The issuing CA among `issuing` whose key signed `cert`, or null. */
export async function issuedBy(cert: x509.X509Certificate, issuing: x509.X509Certificate[]): Promise<x509.X509Certificate | null> {
  for (const ca of issuing) {
    if (ca.subject !== cert.issuer) continue;
    try {
      if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })) return ca;
    } catch {
      // another algorithm: not this CA
    }
  }
  return null;
}

/** The device id in the suite's SPIFFE-style SAN URI (…/device/<id>). */
export function deviceIdOf(cert: x509.X509Certificate): string | null {
  let ext: x509.SubjectAlternativeNameExtension | null;
  try {
    ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  } catch {
    return null;
  }
  for (const n of ext?.names.items ?? []) {
    const m = n.type === 'url' ? /\/device\/([0-9a-f-]{36})$/i.exec(n.value) : null;
    if (m) return m[1].toLowerCase();
  }
  return null;
}

/** Serial numbers compared as numbers: no leading zeros, lower case. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/**
 * The checks on a presented current certificate that need no database: issued by one of our
 * issuing CAs, inside its validity period, naming a device. Revocation is asked separately.
 */
export async function checkCurrentCertificate(der: Buffer, issuing: x509.X509Certificate[], now: Date): Promise<{ cert: x509.X509Certificate; deviceId: string }> {
  const cert = parseCertificate(der);
  if (!cert || !(await issuedBy(cert, issuing))) throw new DomainError(ErrorCode.Forbidden, 'the TLS client certificate was not issued by this CA');
  if (cert.notAfter <= now) throw new DomainError(ErrorCode.Forbidden, `the current certificate expired at ${cert.notAfter.toISOString()}; enroll again with simpleenroll`);
  if (cert.notBefore > now) throw new DomainError(ErrorCode.Forbidden, 'the current certificate is not valid yet');
  const deviceId = deviceIdOf(cert);
  if (!deviceId) throw new DomainError(ErrorCode.Forbidden, 'the current certificate names no device');
  return { cert, deviceId };
}
