import { REVOCATION_SIGNER_EKU_OID, RevocationEvent } from '@iis/contracts';
import { REVOCATION_SIGNER_EKU } from '@iis/pki';
import { RevocationSignatureVerifier, SignatureRejectCode } from './signature-verifier';
import { FakeCa } from './testing/fake-ca';
import { revocationEvent } from './testing/events';

// Real certificates and real ECDSA P-256 signatures (FakeCa makes a CA hierarchy with @iis/pki); only the clock is fixed.
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
