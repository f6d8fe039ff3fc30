import { generateKeyPairSync } from 'node:crypto';
import { BundleError, keyIdFor, signBundle, trustedKeysFromPem, verifyBundle } from './bundle';
import { DecisionCache } from './decision-cache';
import { DEFAULT_POLICY } from './default-policy';

const signer = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const keyId = keyIdFor(signer.publicKey);
const trusted = trustedKeysFromPem(signer.publicKey.export({ type: 'spki', format: 'pem' }) as string);
const good = signBundle(DEFAULT_POLICY, 'default@1', new Date('2026-11-24T10:00:00Z'), signer.privateKey, keyId);
const tamperedPayload = Buffer.from(Buffer.from(good.payload, 'base64').toString().replace('"baseScore":100', '"baseScore":99')).toString('base64');

describe('signed policy bundles', () => {
  it('ok/a bundle signed by a trusted key verifies and compiles', () => {
    const v = verifyBundle(JSON.stringify(good), trusted);
    expect(v).toMatchObject({ policyVersion: 'default@1', keyId });
    expect(v.compiled.rules.length).toBe(DEFAULT_POLICY.rules.length);
  });

  it.each([
    ['fail/not JSON', '{', 'malformed'],
    ['fail/wrong format', JSON.stringify({ ...good, format: 'x' }), 'malformed'],
    ['fail/no key id', JSON.stringify({ ...good, keyId: undefined }), 'missing-key-id'],
    ['fail/empty key id', JSON.stringify({ ...good, keyId: '' }), 'missing-key-id'],
    ['fail/untrusted key id', JSON.stringify({ ...good, keyId: keyIdFor(other.publicKey) }), 'unknown-key-id'],
    ['fail/no signature', JSON.stringify({ ...good, signature: '' }), 'malformed'],
    ['fail/tampered payload', JSON.stringify({ ...good, payload: tamperedPayload }), 'bad-signature'],
    ['fail/signed by another key under our key id', JSON.stringify(signBundle(DEFAULT_POLICY, 'default@1', new Date(), other.privateKey, keyId)), 'bad-signature'],
    ['fail/outer version differs', JSON.stringify({ ...good, policyVersion: 'default@9' }), 'version-mismatch'],
    ['fail/signed but invalid policy', JSON.stringify(signBundle({ ...DEFAULT_POLICY, rules: 'x' }, 'bad@1', new Date(), signer.privateKey, keyId)), 'invalid-policy'],
  ])('%s', (_n, raw, reason) => {
    expect(() => verifyBundle(raw, trusted)).toThrow(BundleError);
    try {
      verifyBundle(raw, trusted);
    } catch (e) {
      expect((e as BundleError).reason).toBe(reason);
    }
  });
});

describe('decision cache', () => {
  it('ok/hits until expiry, evicts the least recently used', () => {
    let t = 0;
    const c = new DecisionCache<string>(2, 100, () => t);
    c.set('a', 'A');
    c.set('b', 'B');
    expect(c.get('a')).toBe('A');
    c.set('c', 'C'); // evicts b
    expect(c.get('b')).toBeUndefined();
    t = 150;
    expect(c.get('a')).toBeUndefined();
    expect(c.hits).toBe(1);
  });
});
