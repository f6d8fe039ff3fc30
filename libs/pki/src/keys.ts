import { createPrivateKey, KeyObject } from 'node:crypto';
import { subtle } from './crypto-provider';
import { PkiError, PkiErrorCode } from './pki.errors';

export type KeyAlgorithmName = 'P-256' | 'P-384';

const ECDSA_HASH: Record<KeyAlgorithmName, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' };

export function keyGenParams(alg: KeyAlgorithmName): EcKeyGenParams {
  return { name: 'ECDSA', namedCurve: alg };
}

export function signingAlgorithm(alg: KeyAlgorithmName): EcdsaParams {
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
