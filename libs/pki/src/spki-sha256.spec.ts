import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { spkiSha256, validSpkiSha256 } from './spki-sha256';

const spkiOf = (k: ReturnType<typeof generateKeyPairSync>['publicKey']) => k.export({ type: 'spki', format: 'der' });

describe('validSpkiSha256', () => {
  it.each([
    ['ok/P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['ok/P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['ok/P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
    ['ok/Ed25519', () => generateKeyPairSync('ed25519').publicKey],
    ['ok/RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
  ])('%s: as spkiSha256 of the imported key', (_n, make) => {
    const key = make();
    expect(validSpkiSha256(spkiOf(key))).toBe(spkiSha256(key));
  });

  it('ok/a long-form length where DER wants the short one: re-exported, so the canonical bytes are hashed', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const der = spkiOf(key); // 30 59 …: content of 0x59 bytes
    const ber = Buffer.concat([Buffer.from([0x30, 0x81, der[1]]), der.subarray(2)]);
    let reexported: string | undefined;
    try {
      reexported = spkiSha256(createPublicKey({ key: ber, format: 'der', type: 'spki' }));
    } catch {
      // OpenSSL refuses the encoding: validSpkiSha256 throws as well.
    }
    if (reexported) expect(validSpkiSha256(ber)).toBe(reexported);
    else expect(() => validSpkiSha256(ber)).toThrow();
  });
});
