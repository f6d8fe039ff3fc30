import { X509Certificate } from 'node:crypto';
import { ErrorCode } from '@iis/contracts';
import { buildLeafCertificate, createIssuingCertificate, createRootCertificate, generateKeyPair, randomSerialHex, x509 } from '@iis/pki';
import { operatorCertificateFacts, parseCertificate } from './operator-certificate.rules';

const now = new Date('2026-11-24T12:00:00Z');
const day = 86_400_000;

async function hierarchy(name: string) {
  const rootKeys = await generateKeyPair('P-256');
  const root = await createRootCertificate({ commonName: `${name} Root`, organization: name, keys: rootKeys, alg: 'P-256', notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 365 * day) });
  const keys = await generateKeyPair('P-256');
  const issuing = await createIssuingCertificate({
    commonName: `${name} Issuing`, organization: name, keys, alg: 'P-256', notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 30 * day),
    root, rootKey: rootKeys.privateKey, rootAlg: 'P-256',
  });
  return { root, issuing, key: keys.privateKey, chain: [new X509Certificate(Buffer.from(issuing.rawData)), new X509Certificate(Buffer.from(root.rawData))] };
}

async function leaf(h: Awaited<ReturnType<typeof hierarchy>>, o: { usage?: 'clientAuth' | 'serverAuth'; uris?: string[]; from?: number; to?: number } = {}) {
  const keys = await generateKeyPair('P-256');
  const c = await buildLeafCertificate({
    serialHex: randomSerialHex(), commonName: 'alice', uris: o.uris ?? [], publicKey: new x509.PublicKey(await crypto.subtle.exportKey('spki', keys.publicKey)),
    usage: o.usage ?? 'clientAuth', notBefore: new Date(now.getTime() + (o.from ?? -day)), notAfter: new Date(now.getTime() + (o.to ?? day)),
    issuer: { certificate: h.issuing, key: h.key, alg: 'P-256' }, urls: { crl: 'http://x/crl', caIssuers: 'http://x/ca' },
  });
  return c.toString('pem');
}

describe('operator certificate rules', () => {
  let ours: Awaited<ReturnType<typeof hierarchy>>;
  let theirs: Awaited<ReturnType<typeof hierarchy>>;
  beforeAll(async () => {
    ours = await hierarchy('ours');
    theirs = await hierarchy('theirs');
  });

  it('ok/a clientAuth certificate from our CA', async () => {
    const pem = await leaf(ours, { uris: ['spiffe://iis.local/operator/alice'] });
    const facts = operatorCertificateFacts(parseCertificate(pem), ours.chain, now);
    expect(facts.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.serial).toMatch(/^([0-9a-f]{2})+$/);
    expect(facts.serial).not.toMatch(/^00/);
    expect(facts.subject).toContain('CN=alice');
  });

  it.each([
    ['fail/another CA', async () => leaf(theirs), ErrorCode.BadRequest],
    ['fail/server certificate', async () => leaf(ours, { usage: 'serverAuth' }), ErrorCode.BadRequest],
    ['fail/a device certificate', async () => leaf(ours, { uris: ['spiffe://iis.local/device/6f1c2a9e-0000-4000-8000-000000000001'] }), ErrorCode.BadRequest],
    ['fail/expired', async () => leaf(ours, { from: -2 * day, to: -1 }), ErrorCode.BadRequest],
    ['fail/not yet valid', async () => leaf(ours, { from: day, to: 2 * day }), ErrorCode.BadRequest],
    ['fail/a CA certificate', async () => ours.issuing.toString('pem'), ErrorCode.BadRequest],
    ['fail/not a certificate', async () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', ErrorCode.BadRequest],
  ])('%s', async (_n, make, code) => {
    const pem = await make();
    await expect(Promise.resolve().then(() => operatorCertificateFacts(parseCertificate(pem), ours.chain, now))).rejects.toMatchObject({ code });
  });
});
