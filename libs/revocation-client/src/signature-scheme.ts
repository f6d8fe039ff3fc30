import { constants, KeyObject } from 'node:crypto';
import { PS256_SALT_LENGTH, RevocationSignatureAlgorithm } from '@iis/contracts';

/** RSA below this is refused, as the CA refuses it for the rev-signer profile (NIST SP 800-57 part 1: 112-bit security). */
export const MIN_RSA_SIGNER_BITS = 2048;

/**
 * How one revocation signing key signs and verifies (RevocationSignatureAlgorithm): made once
 * per key and kept with it, so a message costs node:crypto's sign or verify and nothing more.
 */
export interface SignatureScheme {
  alg: RevocationSignatureAlgorithm;
  /** The key with its node:crypto options, as sign() and verify() take them. */
  keyInput: { key: KeyObject; dsaEncoding: 'ieee-p1363' } | { key: KeyObject; padding: number; saltLength: number };
  /** The signature value's length in bytes, and in base64 characters (padded). */
  valueBytes: number;
  valueChars: number;
}

/** The scheme of a P-256 or RSA (>= 2048 bits) key, public or private; any other key is refused with the reason. */
export function signatureScheme(key: KeyObject): SignatureScheme | { refused: string } {
  const details = key.asymmetricKeyDetails;
  // RFC 7518 3.4: r||s, 32 bytes each.
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return scheme('ES256', { key, dsaEncoding: 'ieee-p1363' }, 64);
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    if (bits < MIN_RSA_SIGNER_BITS) return { refused: `an RSA key of ${bits} bits is too short (at least ${MIN_RSA_SIGNER_BITS})` };
    // RFC 7518 3.5: RSASSA-PSS, SHA-256 and MGF1 with SHA-256 (node's default for the digest given), 32-byte salt; the value is as long as the modulus.
    return scheme('PS256', { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PS256_SALT_LENGTH }, Math.ceil(bits / 8));
  }
  const kind = key.asymmetricKeyType === 'ec' ? `EC ${details?.namedCurve ?? ''}`.trim() : (key.asymmetricKeyType ?? 'unknown');
  return { refused: `not P-256 or RSA (${kind})` };
}

function scheme(alg: RevocationSignatureAlgorithm, keyInput: SignatureScheme['keyInput'], valueBytes: number): SignatureScheme {
  return { alg, keyInput, valueBytes, valueChars: 4 * Math.ceil(valueBytes / 3) };
}
