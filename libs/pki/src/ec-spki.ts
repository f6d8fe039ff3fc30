import { children, content, decodeOid, readWhole } from './der';

/** RFC 5480 2.1.1: id-ecPublicKey. */
export const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** RFC 5480 named curves: their JWK name and the length of one coordinate. */
const CURVES: Record<string, { jwk: string; size: number }> = {
  '1.2.840.10045.3.1.7': { jwk: 'P-256', size: 32 },
  '1.3.132.0.34': { jwk: 'P-384', size: 48 },
  '1.3.132.0.35': { jwk: 'P-521', size: 66 },
};

/** A named-curve EC key with an uncompressed point (RFC 5480 2.2), as its SubjectPublicKeyInfo holds it. */
export interface UncompressedEcKey {
  curveOid: string;
  jwkCurve: string;
  /** 0x04 ‖ x ‖ y. */
  point: Buffer;
  x: Buffer;
  y: Buffer;
}

/**
 * The EC key of a DER SubjectPublicKeyInfo when it is a named curve (P-256/384/521) with an
 * uncompressed point; null for any other key. Throws only when the bytes are not DER at all.
 * Nothing is checked on the curve: that is OpenSSL's work when the key is imported.
 */
export function uncompressedEcKey(spki: Buffer): UncompressedEcKey | null {
  const [alg, bits] = children(spki, readWhole(spki, 0x30, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  if (alg?.tag !== 0x30 || bits?.tag !== 0x03) return null;
  const [algOid, params] = children(spki, alg, 'AlgorithmIdentifier');
  if (algOid?.tag !== 0x06 || params?.tag !== 0x06 || decodeOid(content(spki, algOid)) !== EC_PUBLIC_KEY) return null;
  const curveOid = decodeOid(content(spki, params));
  const curve = CURVES[curveOid];
  const point = spki.subarray(bits.contentStart + 1, bits.end);
  if (!curve || spki[bits.contentStart] !== 0 || point.length !== 1 + 2 * curve.size || point[0] !== 0x04) return null;
  return { curveOid, jwkCurve: curve.jwk, point, x: point.subarray(1, 1 + curve.size), y: point.subarray(1 + curve.size) };
}
