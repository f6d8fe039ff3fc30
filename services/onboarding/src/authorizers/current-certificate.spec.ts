import { webcrypto } from 'node:crypto';
import { ErrorCode } from '@iis/contracts';
import { generateKeyPair, x509 } from '@iis/pki';
import { checkCurrentCertificate, normalizeSerial } from './current-certificate';

const alg = { name: 'ECDSA', hash: 'SHA-256' };
const crypto = webcrypto as unknown as Crypto;
const now = new Date('2026-06-01T12:00:00Z');
const h = 3600_000;
const DEVICE = '0f0e0d0c-0b0a-4908-8706-050403020100';

async function ca(cn: string) {
  const keys = await generateKeyPair('P-256');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: `CN=${cn}`, keys, signingAlgorithm: alg, notBefore: new Date(now.getTime() - 1000 * h), notAfter: new Date(now.getTime() + 1000 * h) }, crypto);
  return { keys, cert };
}

async function leaf(issuer: { keys: CryptoKeyPair; cert: x509.X509Certificate }, from: number, to: number, uri = `spiffe://iis.local/device/${DEVICE}`) {
  const keys = await generateKeyPair('P-256');
  const c = await x509.X509CertificateGenerator.create(
    {
      serialNumber: '00ab', subject: 'O=iis.local, CN=SN-1', issuer: issuer.cert.subject, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey, signingAlgorithm: alg,
      notBefore: new Date(now.getTime() + from * h), notAfter: new Date(now.getTime() + to * h),
      extensions: uri ? [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: uri }])] : [],
    },
    crypto,
  );
  return Buffer.from(c.rawData);
}

describe('current certificate (simplereenroll)', () => {
  it('ok/valid, ours, names the device', async () => {
    const issuing = await ca('Issuing');
    const r = await checkCurrentCertificate(await leaf(issuing, -1, 23), [issuing.cert], now);
    expect(r.deviceId).toBe(DEVICE);
    expect(normalizeSerial(r.cert.serialNumber)).toBe('ab');
  });

  it.each([
    ['fail/expired', -25, -1, /expired/],
    ['fail/not yet valid', 1, 25, /not valid yet/],
  ])('%s', async (_n, from, to, reason) => {
    const issuing = await ca('Issuing');
    await expect(checkCurrentCertificate(await leaf(issuing, from, to), [issuing.cert], now)).rejects.toMatchObject({ code: ErrorCode.Forbidden, message: expect.stringMatching(reason) });
  });

  it('fail/another CA with the same name', async () => {
    const ours = await ca('Issuing');
    const impostor = await ca('Issuing');
    await expect(checkCurrentCertificate(await leaf(impostor, -1, 23), [ours.cert], now)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });

  it('fail/no device URI', async () => {
    const issuing = await ca('Issuing');
    await expect(checkCurrentCertificate(await leaf(issuing, -1, 23, ''), [issuing.cert], now)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });

  it('fail/not a certificate', async () => {
    const issuing = await ca('Issuing');
    await expect(checkCurrentCertificate(Buffer.from('nope'), [issuing.cert], now)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });
});
