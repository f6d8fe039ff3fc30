import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventSigningInput } from '@iis/contracts';
import { RevocationSigner } from './revocation-signer';
import { revocationEvent } from './testing/events';

// Real keys (node:crypto); real openssl checks the signatures, so they are not only checked by the verifier that shares our code.
const now = new Date();
const clock = () => now;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iis-revocation-signer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `openssl dgst -verify` over the event's signing input; the options name the padding, salt and MGF1 digest outright. */
function opensslVerifies(pubPem: string, data: Uint8Array, signature: Buffer, sigopts: string[]): boolean {
  const [pub, input, sig] = ['pub.pem', 'input.bin', 'sig.bin'].map((f) => join(dir, f));
  writeFileSync(pub, pubPem);
  writeFileSync(input, data);
  writeFileSync(sig, signature);
  try {
    execFileSync('openssl', ['dgst', '-sha256', ...sigopts.flatMap((o) => ['-sigopt', o]), '-verify', pub, '-signature', sig, input], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const PSS_32 = ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32', 'rsa_mgf1_md:sha256'];

describe('RevocationSigner', () => {
  it('ok/an RSA key signs PS256: RSASSA-PSS, SHA-256, MGF1 SHA-256, 32-byte salt, a modulus-long value (openssl agrees)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signer = new RevocationSigner(privateKey, 'Y2VydA==', clock);
    const e = revocationEvent(now);
    const { signature } = signer.signEvent(e);
    expect(signature).toMatchObject({ alg: 'PS256', signedAt: now.toISOString(), signer: 'Y2VydA==' });
    const value = Buffer.from(signature.value, 'base64');
    expect(value).toHaveLength(256);
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(opensslVerifies(pem, eventSigningInput(e, signature.signedAt), value, PSS_32)).toBe(true);
    // Another salt length is another signature: the 32 is part of the algorithm.
    expect(opensslVerifies(pem, eventSigningInput(e, signature.signedAt), value, ['rsa_padding_mode:pss', 'rsa_pss_saltlen:20', 'rsa_mgf1_md:sha256'])).toBe(false);
  });

  it('ok/a P-256 key signs ES256: r||s, 64 bytes (openssl agrees once it is DER)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const e = revocationEvent(now);
    const { signature } = new RevocationSigner(privateKey, 'Y2VydA==', clock).signEvent(e);
    expect(signature.alg).toBe('ES256');
    const rs = Buffer.from(signature.value, 'base64');
    expect(rs).toHaveLength(64);
    const int = (b: Buffer) => {
      const trimmed = b.subarray(b.findIndex((x) => x !== 0));
      const v = trimmed[0] & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
      return Buffer.concat([Buffer.of(0x02, v.length), v]);
    };
    const body = Buffer.concat([int(rs.subarray(0, 32)), int(rs.subarray(32))]);
    const der = Buffer.concat([Buffer.of(0x30, body.length), body]);
    expect(opensslVerifies(publicKey.export({ format: 'pem', type: 'spki' }) as string, eventSigningInput(e, signature.signedAt), der, [])).toBe(true);
  });

  it.each([
    ['fail/RSA-1024 (agents refuse it)', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['fail/P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['fail/Ed25519', () => generateKeyPairSync('ed25519').privateKey],
  ])('%s: no signer is made', (_n, key) => {
    expect(() => new RevocationSigner(key(), 'Y2VydA==', clock)).toThrow(/cannot sign revocations/);
  });
});
