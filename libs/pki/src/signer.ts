import { createHash, KeyObject, sign as nodeSign } from 'node:crypto';
import { nullValue, oid, seq } from './der';
import { PkiError, PkiErrorCode } from './pki.errors';

/** Key algorithms a CA key may use (RFC 5480, RFC 8410, RFC 4055). */
export type CaKeyAlgorithm = 'P-256' | 'P-384' | 'Ed25519' | 'RSA-2048' | 'RSA-3072';
export const CA_KEY_ALGORITHMS: readonly CaKeyAlgorithm[] = ['P-256', 'P-384', 'Ed25519', 'RSA-2048', 'RSA-3072'];

/**
 * Anything that signs for a CA: a KeyObject in memory, or a PKCS#11 token. The hot paths
 * call `sign` synchronously; the private key never has to be visible to the caller.
 */
export interface Signer {
  readonly algorithm: CaKeyAlgorithm;
  /** DER AlgorithmIdentifier of the signatures it makes (RFC 5280 4.1.1.2). */
  readonly algorithmIdentifier: Buffer;
  /** DER SubjectPublicKeyInfo of its key. */
  readonly spki: Buffer;
  sign(data: Buffer): Buffer;
}

// RFC 5758 3.2: ECDSA AlgorithmIdentifiers have absent parameters; RFC 4055: RSA carries NULL.
const SIG_ALG: Record<CaKeyAlgorithm, Buffer> = {
  'P-256': seq(oid('1.2.840.10045.4.3.2')),
  'P-384': seq(oid('1.2.840.10045.4.3.3')),
  Ed25519: seq(oid('1.3.101.112')), // RFC 8410 3: parameters absent
  'RSA-2048': seq(oid('1.2.840.113549.1.1.11'), nullValue()),
  'RSA-3072': seq(oid('1.2.840.113549.1.1.11'), nullValue()),
};
const DIGEST: Record<CaKeyAlgorithm, string | null> = { 'P-256': 'sha256', 'P-384': 'sha384', Ed25519: null, 'RSA-2048': 'sha256', 'RSA-3072': 'sha256' };

export function signatureAlgorithmIdentifier(alg: CaKeyAlgorithm): Buffer {
  return SIG_ALG[alg];
}

/** Which CaKeyAlgorithm a key is; anything else is refused. */
export function caKeyAlgorithmOf(key: KeyObject): CaKeyAlgorithm {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec' && d.namedCurve === 'prime256v1') return 'P-256';
  if (key.asymmetricKeyType === 'ec' && d.namedCurve === 'secp384r1') return 'P-384';
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'rsa' && d.modulusLength === 2048) return 'RSA-2048';
  if (key.asymmetricKeyType === 'rsa' && d.modulusLength === 3072) return 'RSA-3072';
  throw new PkiError(PkiErrorCode.UnsupportedKey, `CA key type ${key.asymmetricKeyType} ${d.namedCurve ?? d.modulusLength ?? ''} is not supported`);
}

/** A signer over a node:crypto private key (decrypted from PKCS#8 PBES2 into memory). */
export function keyObjectSigner(privateKey: KeyObject, publicKey: KeyObject): Signer {
  const algorithm = caKeyAlgorithmOf(privateKey);
  const digest = DIGEST[algorithm];
  // ECDSA-Sig-Value as a DER SEQUENCE of r and s (RFC 5480 / RFC 3279 2.2.3).
  const opts = algorithm.startsWith('P-') ? { key: privateKey, dsaEncoding: 'der' as const } : privateKey;
  return {
    algorithm,
    algorithmIdentifier: SIG_ALG[algorithm],
    spki: publicKey.export({ format: 'der', type: 'spki' }),
    sign: (data: Buffer) => nodeSign(digest, data, opts),
  };
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifierFromSpki(spki: Buffer): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

/** The bytes of the subjectPublicKey BIT STRING of a SubjectPublicKeyInfo (without the unused-bits octet). */
export function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: walk two TLVs without a full parser.
  let p = 0;
  const hdr = (at: number) => {
    const l = spki[at + 1];
    if (!(l & 0x80)) return { c: at + 2, len: l };
    const n = l & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + spki[at + 2 + i];
    return { c: at + 2 + n, len };
  };
  const outer = hdr(p);
  p = outer.c;
  const alg = hdr(p);
  p = alg.c + alg.len;
  const bits = hdr(p);
  return spki.subarray(bits.c + 1, bits.c + bits.len);
}
