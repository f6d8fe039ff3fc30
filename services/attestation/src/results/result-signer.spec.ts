import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { ResultSigner } from './result-signer';

describe('ResultSigner', () => {
  it('ok/a compact JWS that verifies with the published JWK (ES256, r‖s)', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = ResultSigner.of(privateKey);
    const token = signer.sign({ sub: 'device-1', verdict: 'pass' });
    const [h, p, s] = token.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid: signer.keyId });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({ sub: 'device-1', verdict: 'pass' });
    const key = createPublicKey({ key: signer.publicJwk() as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${h}.${p}x`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))).toBe(false);
  });
});
