import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import type { PolicyBundle } from '@iis/contracts';
import { CompiledPolicy, compilePolicy } from './compile';

/** Why a bundle was rejected; an agent logs it and keeps its last good bundle. */
export type BundleRejection = 'malformed' | 'missing-key-id' | 'unknown-key-id' | 'bad-signature' | 'version-mismatch' | 'invalid-policy';

export class BundleError extends Error {
  constructor(
    readonly reason: BundleRejection,
    message: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

export interface VerifiedBundle {
  policyVersion: string;
  issuedAt: string;
  keyId: string;
  document: unknown;
  compiled: CompiledPolicy;
}

/** `ed25519:` and the first 16 bytes (hex) of SHA-256 over the SubjectPublicKeyInfo. */
export function keyIdFor(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 32)}`;
}

/** Every PUBLIC KEY block of a PEM text (several allow key rotation), by key id. Ed25519 only. */
export function trustedKeysFromPem(pem: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const block of pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []) {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('policy bundle keys must be Ed25519');
    keys.set(keyIdFor(key), key);
  }
  return keys;
}

/** Signs the active policy: a detached Ed25519 signature over the payload bytes, and the key id. */
export function signBundle(document: unknown, policyVersion: string, issuedAt: Date, privateKey: KeyObject, keyId: string): PolicyBundle {
  if (!keyId) throw new Error('a key id is mandatory');
  const payload = Buffer.from(JSON.stringify({ policyVersion, issuedAt: issuedAt.toISOString(), document }), 'utf8');
  return { format: 'iis.policy-bundle/v1', policyVersion, payload: payload.toString('base64'), keyId, signature: sign(null, payload, privateKey).toString('base64') };
}

/**
 * Verifies a bundle before anything in it is used. The key id is mandatory and must name a
 * trusted key: a bundle without one is refused even if some trusted key would verify it
 * (OPA once accepted unsigned-by-id bundles: GHSA-g2pf-6v5v-qcc8). Then the signature over the
 * exact payload bytes, then the policy itself through the same compiler the service uses.
 */
export function verifyBundle(raw: Uint8Array | string, trusted: Map<string, KeyObject>): VerifiedBundle {
  let b: Partial<PolicyBundle>;
  try {
    b = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8')) as Partial<PolicyBundle>;
  } catch {
    throw new BundleError('malformed', 'bundle is not JSON');
  }
  if (!b || typeof b !== 'object' || b.format !== 'iis.policy-bundle/v1') throw new BundleError('malformed', 'not an iis.policy-bundle/v1');
  if (typeof b.keyId !== 'string' || b.keyId.trim() === '') throw new BundleError('missing-key-id', 'bundle has no key id');
  const key = trusted.get(b.keyId);
  if (!key) throw new BundleError('unknown-key-id', `bundle signed with untrusted key ${b.keyId.slice(0, 80)}`);
  if (typeof b.payload !== 'string' || typeof b.signature !== 'string' || !b.signature) throw new BundleError('malformed', 'payload or signature missing');
  const payload = Buffer.from(b.payload, 'base64');
  let ok = false;
  try {
    ok = verify(null, payload, key, Buffer.from(b.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw new BundleError('bad-signature', `signature does not verify with key ${b.keyId}`);
  let inner: { policyVersion?: unknown; issuedAt?: unknown; document?: unknown };
  try {
    inner = JSON.parse(payload.toString('utf8')) as typeof inner;
  } catch {
    throw new BundleError('malformed', 'signed payload is not JSON');
  }
  if (typeof inner.policyVersion !== 'string' || inner.policyVersion !== b.policyVersion) throw new BundleError('version-mismatch', 'policy version outside and inside the signature differ');
  let compiled: CompiledPolicy;
  try {
    compiled = compilePolicy(inner.document);
  } catch (e) {
    throw new BundleError('invalid-policy', (e as Error).message);
  }
  return { policyVersion: inner.policyVersion, issuedAt: String(inner.issuedAt), keyId: b.keyId, document: inner.document, compiled };
}
