import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyIdFor } from '@iis/policy-engine';

export interface BundleSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** Where the public key is written for operators to hand to gateway agents. */
  publicKeyFile: string;
}

/**
 * The Ed25519 key that signs policy bundles: read from `file` (PKCS#8 PEM), or made on first
 * start (mode 0600). The public key is written beside it (`.pub.pem`) for the agents; every
 * policy instance of a scale-out deployment must be given the same key file.
 */
export function loadOrCreateSigningKey(file: string): BundleSigningKey {
  let privateKey: KeyObject;
  if (fs.existsSync(file)) {
    privateKey = createPrivateKey(fs.readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: the policy bundle signing key must be Ed25519`);
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    privateKey = generateKeyPairSync('ed25519').privateKey;
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
  }
  const publicKey = createPublicKey(privateKey);
  const publicKeyFile = file.replace(/\.pem$/, '') + '.pub.pem';
  fs.writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }) as string, { mode: 0o644 });
  return { privateKey, publicKey, keyId: keyIdFor(publicKey), publicKeyFile };
}
