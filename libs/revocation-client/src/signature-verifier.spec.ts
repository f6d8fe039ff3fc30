import { constants, sign } from 'node:crypto';
import { eventSigningInput, REVOCATION_SIGNER_EKU_OID, RevocationEvent, RevocationSignature } from '@iis/contracts';
import { REVOCATION_SIGNER_EKU } from '@iis/pki';
import { RevocationSignatureVerifier, SignatureRejectCode } from './signature-verifier';
import { FakeCa, FakeSignerKey } from './testing/fake-ca';
import { revocationEvent } from './testing/events';

// Real certificates and real signatures, RSA-PSS (the default signer) and ECDSA P-256 (FakeCa makes a CA hierarchy with @iis/pki); only the clock is fixed.
const hour = 3600_000;
const now = new Date();
const clock = () => now;
let ca: FakeCa;
let verifier: RevocationSignatureVerifier;
let revoked: Set<string>;
const trust = (c: FakeCa) => [c.issuing, c.root].map((x) => Buffer.from(x.rawData));

beforeAll(async () => {
  ca = await FakeCa.create(clock);
});
beforeEach(() => {
  revoked = new Set();
  verifier = new RevocationSignatureVerifier(clock, (s) => revoked.has(s));
  verifier.setTrust(trust(ca));
});

const event = (o: Partial<RevocationEvent> = {}) => revocationEvent(now, { issuerId: ca.issuerId, ...o });

describe('RevocationSignatureVerifier', () => {
  it('ok/the marking OID is the same in contracts and pki', () => {
    expect(REVOCATION_SIGNER_EKU).toBe(REVOCATION_SIGNER_EKU_OID);
  });

  it('ok/an event signed by a revocation signer of the trusted CA', async () => {
    const signer = await ca.signer();
    const { signature, ...e } = signer.signEvent(event());
    expect(verifier.verifyEvent(e, signature)).toEqual({ ok: true, signerSerial: signer.serial });
  });

  it('ok/a snapshot page', async () => {
    const page = (await ca.signer()).signPage({ upTo: 3, after: 0, entries: [['0a1b', ca.issuerId, now.toISOString(), 'keyCompromise', null]], nextCursor: null });
    expect(verifier.verifyPage(page)).toMatchObject({ ok: true });
  });

  it('ok/an old event is checked against the signer validity at its signing time', async () => {
    const min = 60_000;
    const signedThen = new Date(now.getTime() - 30 * min);
    const signer = await ca.signer({ notBefore: new Date(now.getTime() - 50 * min), notAfter: new Date(now.getTime() - 10 * min), signAt: () => signedThen });
    const { signature, ...e } = signer.signEvent(event());
    expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: true });
  });

  it.each<[string, () => Promise<[RevocationEvent, unknown]>, SignatureRejectCode]>([
    ['fail/unsigned', async () => [event(), undefined], SignatureRejectCode.Unsigned],
    ['fail/signature not an object of the right shape', async () => [event(), { alg: 'HS256', value: 'x' }], SignatureRejectCode.BadSignatureField],
    [
      'fail/an event changed after signing',
      async () => {
        const { signature, ...e } = (await ca.signer()).signEvent(event({ serial: '0a1b' }));
        return [{ ...e, serial: '0a1c' }, signature];
      },
      SignatureRejectCode.BadSignature,
    ],
    [
      'fail/signature value of another event',
      async () => {
        const s = await ca.signer();
        const { signature } = s.signEvent(event({ serial: '0a1b' }));
        return [event({ serial: '0a1c' }), signature];
      },
      SignatureRejectCode.BadSignature,
    ],
    [
      'fail/signer issued by another CA',
      async () => {
        const { signature, ...e } = (await (await FakeCa.create(clock)).signer()).signEvent(event());
        return [e, signature];
      },
      SignatureRejectCode.UntrustedSigner,
    ],
    [
      'fail/signer without the revocation signer marking (a TLS server certificate)',
      async () => {
        const { signature, ...e } = (await ca.signer({ usage: 'serverAuth' })).signEvent(event());
        return [e, signature];
      },
      SignatureRejectCode.NotARevocationSigner,
    ],
    [
      'fail/signer expired at signing time',
      async () => {
        const s = await ca.signer({ notBefore: new Date(now.getTime() - 3 * hour), notAfter: new Date(now.getTime() - hour) });
        const { signature, ...e } = s.signEvent(event());
        return [e, signature];
      },
      SignatureRejectCode.SignerNotValidAtSigningTime,
    ],
    [
      'fail/signed in the future',
      async () => {
        const s = await ca.signer({ notAfter: new Date(now.getTime() + 5 * hour), signAt: () => new Date(now.getTime() + hour) });
        const { signature, ...e } = s.signEvent(event());
        return [e, signature];
      },
      SignatureRejectCode.SignedInTheFuture,
    ],
    [
      'fail/signer revoked',
      async () => {
        const s = await ca.signer({ serialHex: '5e0000000000aa' });
        revoked.add('5e0000000000aa');
        const { signature, ...e } = s.signEvent(event());
        return [e, signature];
      },
      SignatureRejectCode.SignerRevoked,
    ],
  ])('%s', async (_n, make, code) => {
    const [e, signature] = await make();
    expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code });
  });

  it('fail/a snapshot page changed after signing', async () => {
    const page = (await ca.signer()).signPage({ upTo: 3, after: 0, entries: [['0a1b', ca.issuerId, now.toISOString(), 'keyCompromise', null]], nextCursor: null });
    expect(verifier.verifyPage({ ...page, entries: [] })).toMatchObject({ ok: false, code: SignatureRejectCode.BadSignature });
  });

  it('fail/no trusted CA yet', async () => {
    const { signature, ...e } = (await ca.signer()).signEvent(event());
    expect(new RevocationSignatureVerifier(clock).verifyEvent(e, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.NoTrustAnchors });
  });

  it('fail/a pinned root other than the CA root distrusts its signers', async () => {
    const other = await FakeCa.create(clock);
    verifier.setTrust(trust(ca), [Buffer.from(other.root.rawData)]);
    const { signature, ...e } = (await ca.signer()).signEvent(event());
    expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.NoTrustAnchors });
  });

  describe('the algorithm follows the signer key (PS256 for RSA, ES256 for P-256)', () => {
    type Make = () => Promise<[RevocationEvent, unknown]>;
    /** A real signature of a signer with `key` (the default RSA-2048 when absent), then changed. */
    const changed =
      (change: (s: RevocationSignature) => unknown, key?: FakeSignerKey): Make =>
      async () => {
        const { signature, ...e } = (await ca.signer({ key })).signEvent(event());
        return [e, change(signature)];
      };
    /** Signed by hand (node:crypto `options`) with the key of a `keyOf` signer, under the certificate of a `certOf` one, named `alg`. */
    const byHand =
      (keyOf: FakeSignerKey, options: object, alg: string, certOf: FakeSignerKey = keyOf): Make =>
      async () => {
        const signer = await ca.signerKey({ key: keyOf });
        const certificate = certOf === keyOf ? signer.certificate : (await ca.signerKey({ key: certOf })).certificate;
        const e = event();
        const signedAt = now.toISOString();
        return [e, { alg, signedAt, signer: certificate, value: sign('sha256', eventSigningInput(e, signedAt), { key: signer.key, ...options }).toString('base64') }];
      };
    const pss = (saltLength: number) => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
    const p1363 = { dsaEncoding: 'ieee-p1363' };
    /** The value as bytes, changed, back to base64. */
    const value = (f: (b: Buffer) => Buffer) => (s: RevocationSignature) => ({ ...s, value: f(Buffer.from(s.value, 'base64')).toString('base64') });

    it.each([
      ['ok/RSA-2048 signs PS256, a 256-byte value', 'RSA-2048', 'PS256', 256],
      ['ok/RSA-3072 signs PS256, a 384-byte value', 'RSA-3072', 'PS256', 384],
      ['ok/P-256 signs ES256, a 64-byte value', 'P-256', 'ES256', 64],
    ] as const)('%s', async (_n, key, alg, bytes) => {
      const signer = await ca.signer({ key });
      const { signature, ...e } = signer.signEvent(event());
      expect(signature.alg).toBe(alg);
      expect(Buffer.from(signature.value, 'base64')).toHaveLength(bytes);
      expect(verifier.verifyEvent(e, signature)).toEqual({ ok: true, signerSerial: signer.serial });
      const page = signer.signPage({ upTo: 3, after: 0, entries: [['0a1b', ca.issuerId, now.toISOString(), 'keyCompromise', null]], nextCursor: null });
      expect(verifier.verifyPage(page)).toMatchObject({ ok: true });
    });

    it('ok/the default signer is RSA-2048 with PS256 (what the revocation service makes)', async () => {
      expect((await ca.signer()).alg).toBe('PS256');
    });

    it.each<[string, Make, SignatureRejectCode]>([
      ['fail/an ES256 signature under an RSA signer certificate', byHand('P-256', p1363, 'ES256', 'RSA-2048'), SignatureRejectCode.BadSignatureField],
      ['fail/a PS256 signature under a P-256 signer certificate', byHand('RSA-2048', pss(32), 'PS256', 'P-256'), SignatureRejectCode.BadSignatureField],
      ['fail/a PS256 signature relabelled ES256', changed((s) => ({ ...s, alg: 'ES256' })), SignatureRejectCode.BadSignatureField],
      ['fail/an RSA-1024 signer (too short), its PSS signature otherwise right', byHand('RSA-1024', pss(32), 'PS256'), SignatureRejectCode.NotARevocationSigner],
      ['fail/a P-384 signer', byHand('P-384', p1363, 'ES256'), SignatureRejectCode.NotARevocationSigner],
      ['fail/a tampered PS256 value (one byte changed, the length kept)', changed(value((b) => Buffer.concat([b.subarray(0, 100), Buffer.of(b[100] ^ 0x01), b.subarray(101)]))), SignatureRejectCode.BadSignature],
      ['fail/PKCS#1 v1.5 (RS256) with the signer key, labelled PS256', byHand('RSA-2048', { padding: constants.RSA_PKCS1_PADDING }, 'PS256'), SignatureRejectCode.BadSignature],
      ['fail/PSS with a salt of 20 bytes, not 32 (RFC 7518 3.5)', byHand('RSA-2048', pss(20), 'PS256'), SignatureRejectCode.BadSignature],
      ['fail/a PS256 value one byte short', changed(value((b) => b.subarray(1))), SignatureRejectCode.BadSignatureField],
      ['fail/a PS256 value of an RSA-3072 length under an RSA-2048 signer', changed(value(() => Buffer.alloc(384, 7))), SignatureRejectCode.BadSignatureField],
      ['fail/a PS256 value of the right length that is not base64', changed((s) => ({ ...s, value: `!${s.value.slice(1)}` })), SignatureRejectCode.BadSignatureField],
      ['fail/an ES256 value of the right length that is not base64', changed((s) => ({ ...s, value: '*'.repeat(s.value.length) }), 'P-256'), SignatureRejectCode.BadSignatureField],
      ['fail/an empty value', changed((s) => ({ ...s, value: '' })), SignatureRejectCode.BadSignatureField],
      ['fail/an unknown alg (RS256) on a real PS256 signature', changed((s) => ({ ...s, alg: 'RS256' })), SignatureRejectCode.BadSignatureField],
      ['fail/alg not a string', changed((s) => ({ ...s, alg: ['PS256'] })), SignatureRejectCode.BadSignatureField],
      ['fail/value not a string', changed((s) => ({ ...s, value: Buffer.from(s.value, 'base64') })), SignatureRejectCode.BadSignatureField],
    ])('%s', async (_n, make, code) => {
      const [e, signature] = await make();
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code });
    });

    it('ok/signers of both kinds at once, each checked with its own algorithm', async () => {
      const rsa = await ca.signer();
      const ec = await ca.signer({ key: 'P-256' });
      for (const s of [rsa, ec, rsa, ec]) {
        const { signature, ...e } = s.signEvent(event());
        expect(verifier.verifyEvent(e, signature)).toEqual({ ok: true, signerSerial: s.serial });
      }
    });
  });

  describe('the signer cache (certificate checked once, its key kept)', () => {
    it('fail/an event changed after signing, its signer already cached', async () => {
      const signer = await ca.signer();
      const first = signer.signEvent(event({ serial: '0a1b' }));
      const { signature: s1, ...e1 } = first;
      expect(verifier.verifyEvent(e1, s1)).toMatchObject({ ok: true });
      const { signature, ...e } = signer.signEvent(event({ serial: '0a1c', logSequence: 2 }));
      expect(verifier.verifyEvent({ ...e, serial: '0a1d' }, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.BadSignature });
      // The same signature again, untouched, still verifies: the cache did not remember a verdict for the certificate.
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: true });
    });

    it('fail/a forged value under the cached certificate (signed with another key)', async () => {
      const real = await ca.signer();
      const { signature: realSig, ...realEvent } = real.signEvent(event());
      expect(verifier.verifyEvent(realEvent, realSig)).toMatchObject({ ok: true });
      // A valid signer of the same CA signs, but the message carries the cached certificate: its key must not verify.
      const other = await ca.signer();
      const { signature, ...e } = other.signEvent(event({ serial: '0bad' }));
      expect(verifier.verifyEvent(e, { ...signature, signer: real.certificate })).toMatchObject({ ok: false, code: SignatureRejectCode.BadSignature });
    });

    it('ok/another signer certificate is checked on its own, not served from the cache', async () => {
      const a = await ca.signer();
      const b = await ca.signer();
      const { signature: sa, ...ea } = a.signEvent(event());
      const { signature: sb, ...eb } = b.signEvent(event());
      expect(verifier.verifyEvent(ea, sa)).toEqual({ ok: true, signerSerial: a.serial });
      expect(verifier.verifyEvent(eb, sb)).toEqual({ ok: true, signerSerial: b.serial });
      expect(verifier.verifyEvent(ea, sa)).toEqual({ ok: true, signerSerial: a.serial });
    });

    it('fail/a signer of another CA after a trusted one was cached', async () => {
      const { signature: s1, ...e1 } = (await ca.signer()).signEvent(event());
      expect(verifier.verifyEvent(e1, s1)).toMatchObject({ ok: true });
      const { signature, ...e } = (await (await FakeCa.create(clock)).signer()).signEvent(event());
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.UntrustedSigner });
    });

    it('fail/a cached certificate with one character changed is a different certificate', async () => {
      const signer = await ca.signer();
      const { signature, ...e } = signer.signEvent(event());
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: true });
      // Flip one base64 character inside the certificate's signature (its last bytes): same length, different certificate.
      const cert = signature.signer;
      const i = cert.length - 8;
      const tampered = cert.slice(0, i) + (cert[i] === 'A' ? 'B' : 'A') + cert.slice(i + 1);
      expect(verifier.verifyEvent(e, { ...signature, signer: tampered })).toMatchObject({ ok: false, code: SignatureRejectCode.UntrustedSigner });
    });

    it('fail/a cached signer revoked afterwards', async () => {
      const signer = await ca.signer({ serialHex: '5e0000000000bb' });
      const { signature: s1, ...e1 } = signer.signEvent(event());
      expect(verifier.verifyEvent(e1, s1)).toMatchObject({ ok: true });
      revoked.add('5e0000000000bb');
      const { signature, ...e } = signer.signEvent(event({ logSequence: 2 }));
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.SignerRevoked });
    });

    it('fail/a cached signer no longer trusted after the trust changes', async () => {
      const { signature, ...e } = (await ca.signer()).signEvent(event());
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: true });
      verifier.setTrust(trust(await FakeCa.create(clock)));
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: false, code: SignatureRejectCode.UntrustedSigner });
    });

    it('fail/unsigned after a signed event was cached', async () => {
      const { signature, ...e } = (await ca.signer()).signEvent(event());
      expect(verifier.verifyEvent(e, signature)).toMatchObject({ ok: true });
      expect(verifier.verifyEvent(e, undefined)).toMatchObject({ ok: false, code: SignatureRejectCode.Unsigned });
    });
  });
});
