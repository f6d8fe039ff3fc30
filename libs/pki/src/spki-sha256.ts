import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { bitString, children, oid, raw, readWhole, seq } from './der';
import { EC_PUBLIC_KEY, uncompressedEcKey } from './ec-spki';
import { PkiError, PkiErrorCode } from './pki.errors';

/**
 * A public key's fingerprint: SHA-256 (hex) of its DER SubjectPublicKeyInfo, re-exported so the
 * same key always hashes the same however it arrived (a certificate, a SIM's proof of key).
 */
export function spkiSha256(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * spkiSha256 of a DER SubjectPublicKeyInfo whose key is known to be valid (a key a CA already
 * imported). A named-curve EC key with an uncompressed point (RFC 5480 2.2) is hashed as it is
 * when its bytes are the DER of exactly that: the re-export of such a key gives these bytes.
 * Anything else (RSA, Ed25519, a compressed point, a non-canonical encoding) is re-exported.
 */
export function validSpkiSha256(spki: Buffer): string {
  return createHash('sha256').update(canonicalEcSpki(spki) ? spki : createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' })).digest('hex');
}

function canonicalEcSpki(spki: Buffer): boolean {
  try {
    const ec = uncompressedEcKey(spki);
    return ec !== null && seq(seq(oid(EC_PUBLIC_KEY), oid(ec.curveOid)), bitString(ec.point)).equals(spki);
  } catch {
    return false;
  }
}

/** RFC 5280 4.1: the subjectPublicKeyInfo of a DER certificate, its bytes as they are; nothing else is parsed. */
export function certificateSpki(der: Buffer): Buffer {
  const bad = () => new PkiError(PkiErrorCode.NotDer, 'certificate: no subjectPublicKeyInfo');
  const [tbs] = children(der, readWhole(der, 0x30, 'certificate'), 'certificate');
  if (tbs?.tag !== 0x30) throw bad();
  const fields = children(der, tbs, 'tbsCertificate');
  // version [0] (optional), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
  if (spki?.tag !== 0x30) throw bad();
  return raw(der, spki);
}
