import type { KeyObject } from 'node:crypto';
import { AttestationError, AttestationReason } from '@iis/attestation';
import { TrustAnchors, x509 } from '@iis/pki';
import { base64Field } from './evidence-fields';

/** A certificate given as PEM or as base64 DER. */
export function parseCertificateText(text: unknown, field: string): x509.X509Certificate {
  try {
    if (typeof text === 'string' && text.includes('-----BEGIN CERTIFICATE-----')) return new x509.X509Certificate(text);
    return new x509.X509Certificate(new Uint8Array(base64Field(text, field)));
  } catch (e) {
    if (e instanceof AttestationError) throw e;
    throw new AttestationError(AttestationReason.BadEvidence, `${field} is not an X.509 certificate`);
  }
}

/** Intermediates between a certificate and its root: a vendor or manufacturer root, an issuing CA, rarely more. */
const MAX_INTERMEDIATES = 4;

/** The intermediates a device sends beside a key certificate or IDevID (absent: none). */
export function parseChain(texts: unknown, field: string): Buffer[] {
  if (texts === undefined) return [];
  if (!Array.isArray(texts) || texts.length > MAX_INTERMEDIATES) {
    throw new AttestationError(AttestationReason.BadEvidence, `${field} must be a list of at most ${MAX_INTERMEDIATES} certificates`);
  }
  return texts.map((t, i) => Buffer.from(parseCertificateText(t, `${field}[${i}]`).rawData));
}

/**
 * A TPM key (AK or EK) vouched for by a certificate: the certificate's key is the TPM key, and
 * the certificate chains (RFC 5280, pkijs), through the intermediates the device sent, to a
 * configured TPM vendor CA. Returns the CA subject.
 */
export async function checkKeyCertificate(text: unknown, chainTexts: unknown, key: KeyObject, anchors: TrustAnchors, now: Date, what: 'AK' | 'EK'): Promise<string> {
  const field = what === 'AK' ? 'akCertificate' : 'ekCertificate';
  const intermediates = parseChain(chainTexts, `${field}Chain`);
  const cert = parseCertificateText(text, field);
  const certKey = Buffer.from(cert.publicKey.rawData);
  if (!certKey.equals(key.export({ type: 'spki', format: 'der' }))) {
    throw new AttestationError(AttestationReason.AkUntrusted, `the ${what} certificate is for another key`);
  }
  const result = await anchors.validate(Buffer.from(cert.rawData), intermediates, now);
  if (!result.root) throw new AttestationError(AttestationReason.AkUntrusted, `the ${what} certificate is not from a known TPM vendor: ${result.reason}`);
  return result.root;
}
