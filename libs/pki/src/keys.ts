import { createPrivateKey, KeyObject } from 'node:crypto';
import { subtle } from './crypto-provider';
import { PkiError, PkiErrorCode } from './pki.errors';

/** Keys the suite makes in WebCrypto: ECDSA curves, and RSA for the revocation signer (verified cheaply by every agent). */
export type KeyAlgorithmName = 'P-256' | 'P-384' | 'RSA-2048' | 'RSA-3072';

const ECDSA_HASH = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' } as const;
/** RFC 8017 8.2 RSASSA-PKCS1-v1_5 with SHA-256 (sha256WithRSAEncryption): what the key signs in WebCrypto (CSRs); e = 65537. */
const RSA_BITS = { 'RSA-2048': 2048, 'RSA-3072': 3072 } as const;

const isRsa = (alg: KeyAlgorithmName): alg is keyof typeof RSA_BITS => alg in RSA_BITS;

export function keyGenParams(alg: KeyAlgorithmName): EcKeyGenParams | RsaHashedKeyGenParams {
  if (isRsa(alg)) return { name: 'RSASSA-PKCS1-v1_5', modulusLength: RSA_BITS[alg], publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  return { name: 'ECDSA', namedCurve: alg };
}

export function signingAlgorithm(alg: KeyAlgorithmName): EcdsaParams | RsaHashedImportParams {
  if (isRsa(alg)) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', hash: ECDSA_HASH[alg] };
}

export async function generateKeyPair(alg: KeyAlgorithmName): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(keyGenParams(alg), true, ['sign', 'verify'])) as CryptoKeyPair;
}

/**
 * Encrypts a private key for storage: PKCS#8 EncryptedPrivateKeyInfo with PBES2
 * (PBKDF2-HMAC-SHA256 and AES-256-CBC), which is what Node emits for a pkcs8 export
 * with a cipher. The passphrase never leaves this function.
 */
export async function encryptPrivateKey(key: CryptoKey, passphrase: string): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  const keyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return keyObject.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** Opens a stored key; a wrong passphrase is a typed error, not a crash. */
export async function decryptPrivateKey(pem: string, passphrase: string, alg: KeyAlgorithmName): Promise<{ cryptoKey: CryptoKey; keyObject: KeyObject }> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    throw new PkiError(PkiErrorCode.BadKeyPassphrase, 'cannot decrypt the CA key: wrong passphrase or damaged key');
  }
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  const cryptoKey = await subtle.importKey('pkcs8', der, keyGenParams(alg), false, ['sign']);
  return { cryptoKey, keyObject };
}
