import { webcrypto } from 'node:crypto';
import { generateKeyPair, x509 } from '@iis/pki';
import { idevidSerial, ManufacturerRoots } from './manufacturer-roots';

const alg = { name: 'ECDSA', hash: 'SHA-256' };
const crypto = webcrypto as unknown as Crypto;
const now = new Date();
const day = 86400_000;

async function ca(cn: string) {
  const keys = await generateKeyPair('P-256');
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: `CN=${cn}`, keys, signingAlgorithm: alg, notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 365 * day), extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)] },
    crypto,
  );
  return { keys, cert };
}

async function leaf(issuer: { keys: CryptoKeyPair; cert: x509.X509Certificate }, subject: string, notAfter = new Date(now.getTime() + 30 * day)) {
  const keys = await generateKeyPair('P-256');
  return x509.X509CertificateGenerator.create(
    { serialNumber: '02', subject, issuer: issuer.cert.subject, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey, signingAlgorithm: alg, notBefore: new Date(now.getTime() - day), notAfter },
    crypto,
  );
}

describe('manufacturer roots (IDevID)', () => {
  it('ok/a leaf signed by a configured root validates and names its serial', async () => {
    const acme = await ca('Acme IDevID Root');
    const cert = await leaf(acme, 'CN=sensor, 2.5.4.5=SN-77');
    const roots = ManufacturerRoots.of([acme.cert]);
    const r = await roots.validate(Buffer.from(cert.rawData), [], now);
    expect(r.root).toBe('CN=Acme IDevID Root');
    expect(idevidSerial(cert)).toBe('SN-77');
  });

  it.each([
    ['fail/unknown manufacturer', false],
    ['fail/expired', true],
  ])('%s', async (_n, expired) => {
    const acme = await ca('Acme IDevID Root');
    const other = await ca('Other Root');
    const cert = expired ? await leaf(acme, 'CN=x', new Date(now.getTime() - 1000)) : await leaf(other, 'CN=x');
    const r = await ManufacturerRoots.of([acme.cert]).validate(Buffer.from(cert.rawData), [], now);
    expect(r.root).toBeNull();
    expect(r.reason).not.toBe('');
  });

  it('fail/no roots configured', async () => {
    const r = await ManufacturerRoots.of([]).validate(Buffer.from([0x30, 0]), [], now);
    expect(r).toEqual({ root: null, reason: 'no manufacturer roots are configured' });
  });
});
