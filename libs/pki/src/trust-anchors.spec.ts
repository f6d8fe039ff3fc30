import { webcrypto } from 'node:crypto';
import { x509 } from './crypto-provider';
import { buildCrl } from './crl';
import { generateKeyPair } from './keys';
import { TrustAnchors } from './trust-anchors';

const alg = { name: 'ECDSA', hash: 'SHA-256' };
const crypto = webcrypto as unknown as Crypto;
const now = new Date();
const day = 86400_000;

async function setup() {
  const caKeys = await generateKeyPair('P-256');
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: 'CN=Acme IDevID Root', keys: caKeys, signingAlgorithm: alg, notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 365 * day), extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)] },
    crypto,
  );
  const leaf = await x509.X509CertificateGenerator.create(
    { serialNumber: '0a', subject: 'CN=sensor', issuer: root.subject, publicKey: (await generateKeyPair('P-256')).publicKey, signingKey: caKeys.privateKey, signingAlgorithm: alg, notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 30 * day) },
    crypto,
  );
  const crl = async (serials: string[]) =>
    Buffer.from((await buildCrl({ issuer: { certificate: root, key: caKeys.privateKey, alg: 'P-256' }, crlNumber: 1, thisUpdate: new Date(now.getTime() - 1000), nextUpdate: new Date(now.getTime() + day), entries: serials.map((s) => ({ serialHex: s, revokedAt: new Date(now.getTime() - 1000), reasonCode: 1 })) })).rawData);
  return { root, leaf, crl };
}

describe('TrustAnchors with CRLs', () => {
  it.each([
    ['ok/no CRL given: revocation not checked', null, true],
    ['ok/a CRL that does not list the certificate', ['0b'], true],
    ['fail/a CRL that lists the certificate', ['0a'], false],
  ] as const)('%s', async (_name, revoked, valid) => {
    const { root, leaf, crl } = await setup();
    const anchors = TrustAnchors.of([root], 'manufacturer roots', revoked ? [await crl([...revoked])] : []);
    const r = await anchors.validate(Buffer.from(leaf.rawData), [], now);
    expect(r.root !== null).toBe(valid);
    if (!valid) expect(r.reason).toMatch(/revoked/);
  });
});
