import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCaCertificate,
  CaKeyAlgorithm,
  generateCaKey,
  integer,
  integerFromHex,
  issuerInfo,
  keyObjectSigner,
  LeafTemplate,
  parseCsr,
  PkiErrorCode,
  time,
  toPem,
  x509,
} from './index';

// Real openssl judges every certificate built here; the fast path is never compared with itself only.
const dir = mkdtempSync(join(tmpdir(), 'iis-tpl-'));
const now = new Date();
const hours = (h: number) => new Date(now.getTime() + h * 3600_000);
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
let n = 0;
function opensslCsr(keyArgs: string[], extra: string[] = []): Buffer {
  const key = join(dir, `k${++n}.pem`);
  const csr = join(dir, `c${n}.der`);
  openssl('genpkey', ...keyArgs, '-out', key);
  openssl('req', '-new', '-key', key, '-subj', '/CN=as-the-device-likes', ...extra, '-outform', 'DER', '-out', csr);
  return readFileSync(csr);
}
const P256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];

function hierarchy(alg: CaKeyAlgorithm) {
  const rootKeys = generateCaKey(alg);
  const root = buildCaCertificate({ commonName: `Root ${alg}`, organization: 'T', notBefore: hours(-1), notAfter: hours(24 * 365), publicKey: rootKeys.publicKey, pathLen: 1, signer: keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey) });
  const issKeys = generateCaKey(alg);
  const issuing = buildCaCertificate({
    commonName: `Issuing ${alg}`, organization: 'T', notBefore: hours(-1), notAfter: hours(24 * 30), publicKey: issKeys.publicKey, pathLen: 0,
    issuer: issuerInfo(root), signer: keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey),
  });
  return { root, issuing, signer: keyObjectSigner(issKeys.privateKey, issKeys.publicKey) };
}

describe('DER pieces', () => {
  it.each([
    ['ok/UTCTime before 2050', new Date(Date.UTC(2049, 11, 31, 23, 59, 59)), '170d3439313233313233353935395a'],
    ['ok/GeneralizedTime from 2050', new Date(Date.UTC(2050, 0, 1, 0, 0, 0)), '180f32303530303130313030303030305a'],
  ])('%s', (_n, d, hex) => expect(time(d).toString('hex')).toBe(hex));

  it.each([
    ['ok/high bit gets a pad octet', '80', '02020080'],
    ['ok/leading zeros are dropped', '0001', '020101'],
    ['ok/zero', '00', '020100'],
  ])('%s', (_n, h, hex) => expect(integerFromHex(h).toString('hex')).toBe(hex));

  it('ok/integer from a number', () => expect(integer(65536).toString('hex')).toBe('0203010000'));
});

describe('the fast issuing path (LeafTemplate)', () => {
  it.each<[string, CaKeyAlgorithm]>([
    ['ok/P-256 hierarchy', 'P-256'],
    ['ok/P-384 hierarchy', 'P-384'],
    ['ok/Ed25519 hierarchy', 'Ed25519'],
    ['ok/RSA-2048 hierarchy', 'RSA-2048'],
    ['ok/RSA-3072 hierarchy', 'RSA-3072'],
  ])('%s: openssl verifies a device certificate and reads every extension', (_n, alg) => {
    const { root, issuing, signer } = hierarchy(alg);
    const csr = parseCsr(opensslCsr(P256));
    const tpl = new LeafTemplate({ issuerCertificate: issuing, signer, usage: 'clientAuth', urls: { crl: 'http://ca.test/crl/i.crl', ocsp: 'http://ca.test/ocsp', caIssuers: 'http://ca.test/ca/i.cer' } });
    const serialHex = '4a'.repeat(16);
    const der = tpl.issue({ serialHex, notBefore: hours(-0.1), notAfter: hours(24), commonName: 'dev-1', organization: 'iis.local', uris: ['spiffe://iis.local/device/abc'], spki: csr.spki });
    const rootFile = write(`root-${alg}.pem`, toPem(root, 'CERTIFICATE'));
    const issFile = write(`iss-${alg}.pem`, toPem(issuing, 'CERTIFICATE'));
    const leafFile = write(`leaf-${alg}.pem`, toPem(der, 'CERTIFICATE'));
    expect(openssl('verify', '-x509_strict', '-CAfile', rootFile, '-untrusted', issFile, '-purpose', 'sslclient', leafFile)).toContain(': OK');
    const text = openssl('x509', '-in', leafFile, '-noout', '-text');
    expect(text).toContain('URI:spiffe://iis.local/device/abc');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(text).toContain('OCSP - URI:http://ca.test/ocsp');
    expect(text).toContain('CA Issuers - URI:http://ca.test/ca/i.cer');
    expect(text).toContain('URI:http://ca.test/crl/i.crl');
    expect(text).toMatch(/Subject: O ?= ?iis.local, CN ?= ?dev-1/);
    expect(text).not.toContain('as-the-device-likes');
    // AKI of the leaf is the issuer's SKI.
    const issText = openssl('x509', '-in', issFile, '-noout', '-text');
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(issText)![1];
    expect(text).toContain(ski);
    // @peculiar/x509 reads the same fields.
    const parsed = new x509.X509Certificate(new Uint8Array(der));
    expect(parsed.serialNumber).toBe(serialHex);
    expect(parsed.subject).toBe('O=iis.local, CN=dev-1');
    expect(readFileSync(leafFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('ok/server profile with DNS and IP SANs passes sslserver verification', () => {
    const { root, issuing, signer } = hierarchy('P-256');
    const tpl = new LeafTemplate({ issuerCertificate: issuing, signer, usage: 'serverAuth', urls: { crl: 'http://c/crl', caIssuers: 'http://c/ca' } });
    const der = tpl.issue({ serialHex: '11'.repeat(16), notBefore: hours(-0.1), notAfter: hours(24), commonName: 'gw-1', dnsNames: ['gw.example.test'], ipAddresses: ['10.0.0.1', '2001:db8::1'], spki: parseCsr(opensslCsr(P256)).spki });
    const leaf = write('srv.pem', toPem(der, 'CERTIFICATE'));
    expect(openssl('verify', '-x509_strict', '-CAfile', write('r.pem', toPem(root, 'CERTIFICATE')), '-untrusted', write('i.pem', toPem(issuing, 'CERTIFICATE')), '-purpose', 'sslserver', '-verify_hostname', 'gw.example.test', leaf)).toContain(': OK');
    const text = openssl('x509', '-in', leaf, '-noout', '-text');
    expect(text).toContain('DNS:gw.example.test');
    expect(text).toContain('IP Address:10.0.0.1');
    expect(text).toContain('IP Address:2001:DB8:0:0:0:0:0:1');
    expect(text).toContain('TLS Web Server Authentication');
  });

  it('ok/known answer: fixed Ed25519 keys, serial and dates give exactly this certificate', () => {
    // Ed25519 signatures are deterministic, so the whole certificate is a fixed vector.
    const seed = (b: number) => Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, b)]);
    const caKey = createPrivateKey({ key: seed(1), format: 'der', type: 'pkcs8' });
    const devKey = createPrivateKey({ key: seed(2), format: 'der', type: 'pkcs8' });
    const signer = keyObjectSigner(caKey, createPublicKey(caKey));
    const t0 = new Date(Date.UTC(2030, 0, 1));
    const ca = buildCaCertificate({ serialHex: '01', commonName: 'KAT CA', organization: 'K', notBefore: t0, notAfter: new Date(Date.UTC(2040, 0, 1)), publicKey: createPublicKey(caKey), pathLen: 0, signer });
    const tpl = new LeafTemplate({ issuerCertificate: ca, signer, usage: 'clientAuth', urls: { crl: 'http://k/crl', ocsp: 'http://k/ocsp', caIssuers: 'http://k/ca' } });
    const leaf = tpl.issue({ serialHex: '0102030405060708', notBefore: t0, notAfter: new Date(Date.UTC(2030, 0, 2)), commonName: 'kat', uris: ['spiffe://k/device/1'], spki: createPublicKey(devKey).export({ format: 'der', type: 'spki' }) });
    // openssl agrees the vector is a valid chain (checked at the vector's own time).
    const caFile = write('kat-ca.pem', toPem(ca, 'CERTIFICATE'));
    expect(openssl('verify', '-x509_strict', '-attime', String(Date.UTC(2030, 0, 1, 12) / 1000), '-CAfile', caFile, write('kat.pem', toPem(leaf, 'CERTIFICATE')))).toContain(': OK');
    expect(createHash('sha256').update(ca).digest('hex')).toBe(KAT_CA_SHA256);
    expect(createHash('sha256').update(leaf).digest('hex')).toBe(KAT_LEAF_SHA256);
  });
});

const KAT_CA_SHA256 = '873292ac10781e98a7d98bc20dd0c9db25b4719894ff81f81779d3791461d13d';
const KAT_LEAF_SHA256 = 'f9233d4b7036f8a2eda2e22174e820a8490e8f76261c9c35809989020ac90b4e';

describe('parseCsr: the CSR rules', () => {
  it.each([
    ['ok/P-256', P256, 'P-256'],
    ['ok/P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'P-384'],
    ['ok/Ed25519', ['-algorithm', 'ED25519'], 'Ed25519'],
    ['ok/RSA 2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], 'RSA-2048'],
  ])('%s', (_n, args, keyName) => {
    expect(parseCsr(opensslCsr(args as string[])).keyName).toBe(keyName);
  });

  it.each([
    ['fail/garbage', () => Buffer.from('not a csr'), PkiErrorCode.NotACsr],
    ['fail/empty', () => Buffer.alloc(0), PkiErrorCode.NotACsr],
    ['fail/trailing bytes', () => Buffer.concat([opensslCsr(P256), Buffer.from([0])]), PkiErrorCode.NotACsr],
    ['fail/CA:true asked for', () => opensslCsr(P256, ['-addext', 'basicConstraints=critical,CA:TRUE']), PkiErrorCode.CaRequested],
    ['fail/unknown critical extension', () => opensslCsr(P256, ['-addext', '1.2.3.4=critical,ASN1:NULL']), PkiErrorCode.UnknownCriticalExtension],
    [
      'fail/signature that does not verify',
      () => {
        const d = Buffer.from(opensslCsr(['-algorithm', 'ED25519']));
        d[d.length - 5] ^= 0xff;
        return d;
      },
      PkiErrorCode.BadSignature,
    ],
  ])('%s', (_n, make, code) => {
    expect(() => parseCsr(make())).toThrow(expect.objectContaining({ code }));
  });

  it('ok/a non-critical unknown extension is ignored, the requested SAN is never returned', () => {
    const csr = parseCsr(opensslCsr(P256, ['-addext', 'subjectAltName=DNS:evil.example']));
    expect(csr.extensions.map((e) => e.oid)).toContain('2.5.29.17');
    expect(Object.keys(csr)).not.toContain('subject');
  });
});
