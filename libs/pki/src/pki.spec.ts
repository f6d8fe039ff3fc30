import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCrl,
  buildLeafCertificate,
  certsOnlyPkcs7,
  createCsr,
  createIssuingCertificate,
  createRootCertificate,
  decryptPrivateKey,
  encryptPrivateKey,
  generateKeyPair,
  parseCsr,
  PkiErrorCode,
  randomSerialHex,
  toPem,
  verifyCsr,
  x509,
} from './index';

// Real openssl checks what this library produces; nothing here is compared with itself only.
const dir = mkdtempSync(join(tmpdir(), 'iis-pki-'));
const now = new Date();
const hours = (h: number) => new Date(now.getTime() + h * 3600_000);

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function opensslCsr(keyArgs: string[]): Buffer {
  const key = join(dir, `k-${Math.random()}.pem`);
  const csr = join(dir, `c-${Math.random()}.der`);
  openssl('genpkey', ...keyArgs, '-out', key);
  openssl('req', '-new', '-key', key, '-subj', '/CN=anything-the-device-likes', '-outform', 'DER', '-out', csr);
  return require('node:fs').readFileSync(csr);
}

async function hierarchy() {
  const rootKeys = await generateKeyPair('P-256');
  const root = await createRootCertificate({ commonName: 'Test Root', organization: 'T', keys: rootKeys, alg: 'P-256', notBefore: hours(-1), notAfter: hours(24 * 365) });
  const issuingKeys = await generateKeyPair('P-256');
  const issuing = await createIssuingCertificate({
    commonName: 'Test Issuing', organization: 'T', keys: issuingKeys, alg: 'P-256', notBefore: hours(-1), notAfter: hours(24 * 30),
    root, rootKey: rootKeys.privateKey, rootAlg: 'P-256',
  });
  return { root, rootKeys, issuing, issuingKeys };
}

describe('pki', () => {
  it('ok/serials are positive, 16 octets, never the same', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const s = randomSerialHex();
      expect(s).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(s.startsWith('00')).toBe(false);
      seen.add(s);
    }
    expect(seen.size).toBe(1000);
  });

  it('ok/a CSR from openssl verifies; the requested subject is only recorded', async () => {
    const csr = await verifyCsr(opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    expect(csr.keyDescription).toBe('ECDSA P-256');
    expect(csr.requestedSubject).toBe('CN=anything-the-device-likes');
  });

  it.each([
    ['fail/garbage', Buffer.from('not a csr'), PkiErrorCode.NotACsr],
    ['fail/empty', Buffer.alloc(0), PkiErrorCode.NotACsr],
  ])('%s', async (_n, der, code) => {
    await expect(verifyCsr(der)).rejects.toMatchObject({ code });
  });

  it('fail/weak RSA key', async () => {
    const der = opensslCsr(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    await expect(verifyCsr(der)).rejects.toMatchObject({ code: PkiErrorCode.WeakKey });
  });

  it('fail/signature that does not verify', async () => {
    const der = Buffer.from(opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    der[der.length - 5] ^= 0xff; // inside the signature value
    await expect(verifyCsr(der)).rejects.toMatchObject({ code: expect.stringMatching(/BAD_SIGNATURE|NOT_A_CSR/) });
  });

  it('fail/a CSR that asks for CA:true', async () => {
    const key = join(dir, 'ca-req.pem');
    const csr = join(dir, 'ca-req.der');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key);
    openssl('req', '-new', '-key', key, '-subj', '/CN=x', '-addext', 'basicConstraints=critical,CA:TRUE', '-outform', 'DER', '-out', csr);
    await expect(verifyCsr(require('node:fs').readFileSync(csr))).rejects.toMatchObject({ code: PkiErrorCode.CaRequested });
  });

  it.each([
    ['P-256', 'ecdsa-with-SHA256'],
    ['RSA-2048', 'sha256WithRSAEncryption'],
    ['RSA-3072', 'sha256WithRSAEncryption'],
  ] as const)('ok/createCsr with a %s key: openssl verifies it (%s), the CA names the key so', async (alg, sigAlg) => {
    const der = await createCsr(await generateKeyPair(alg), 'revocation-signer spec', alg);
    const text = openssl('req', '-inform', 'DER', '-in', writeTmp(`csr-${alg}.der`, der), '-verify', '-noout', '-text');
    expect(text).toContain(`Signature Algorithm: ${sigAlg}`);
    expect(parseCsr(der).keyName).toBe(alg);
  });

  it('ok/keys round-trip through PBES2 encryption; a wrong passphrase is refused', async () => {
    const keys = await generateKeyPair('P-256');
    const pem = await encryptPrivateKey(keys.privateKey, 'correct horse battery staple');
    expect(pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const asn1 = openssl('asn1parse', '-in', writeTmp('enc.pem', pem));
    expect(asn1).toContain('PBES2');
    await expect(decryptPrivateKey(pem, 'correct horse battery staple', 'P-256')).resolves.toBeDefined();
    await expect(decryptPrivateKey(pem, 'wrong passphrase!!', 'P-256')).rejects.toMatchObject({ code: PkiErrorCode.BadKeyPassphrase });
  });

  it('ok/a device certificate that openssl verifies against the chain, and a CRL that revokes it', async () => {
    const { root, issuing, issuingKeys } = await hierarchy();
    const csr = await verifyCsr(opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    const serialHex = randomSerialHex();
    const cert = await buildLeafCertificate({
      serialHex, commonName: 'dev-1', uris: ['spiffe://iis.local/device/abc'], publicKey: csr.publicKey, usage: 'clientAuth',
      notBefore: hours(-0.1), notAfter: hours(24),
      issuer: { certificate: issuing, key: issuingKeys.privateKey, alg: 'P-256' },
      urls: { crl: 'http://localhost/crl', ocsp: 'http://localhost/ocsp', caIssuers: 'http://localhost/ca' },
    });
    const rootFile = writeTmp('root.pem', root.toString('pem'));
    const chainFile = writeTmp('chain.pem', issuing.toString('pem'));
    const certFile = writeTmp('leaf.pem', cert.toString('pem'));
    expect(openssl('verify', '-CAfile', rootFile, '-untrusted', chainFile, '-purpose', 'sslclient', certFile)).toContain('OK');
    const text = openssl('x509', '-in', certFile, '-noout', '-text');
    expect(text).toContain('URI:spiffe://iis.local/device/abc');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toContain('CA:FALSE');
    expect(text.toLowerCase()).toContain(serialHex.replace(/(..)(?!$)/g, '$1:'));

    const crl = await buildCrl({
      issuer: { certificate: issuing, key: issuingKeys.privateKey, alg: 'P-256' },
      crlNumber: 7, thisUpdate: now, nextUpdate: hours(1),
      entries: [{ serialHex, revokedAt: now, reasonCode: 1 }],
    });
    const crlFile = writeTmp('issuing.crl.pem', toPem(Buffer.from(crl.rawData), 'X509 CRL'));
    const crlText = openssl('crl', '-in', crlFile, '-noout', '-text');
    expect(crlText).toMatch(/CRL Number:\s*\n\s*7/);
    expect(crlText).toContain('Key Compromise');
    // The root has no CRL here, so only the leaf is checked (crl_check, not crl_check_all).
    expect(() => openssl('verify', '-CAfile', rootFile, '-untrusted', chainFile, '-crl_check', '-CRLfile', crlFile, certFile)).toThrow(/certificate revoked/);

    const p7 = certsOnlyPkcs7([Buffer.from(cert.rawData), Buffer.from(issuing.rawData)]);
    const p7Text = openssl('pkcs7', '-inform', 'DER', '-in', writeTmp('p7.der', p7), '-print_certs', '-noout');
    expect(p7Text.replace(/ = /g, '=')).toContain('subject=CN=dev-1');
    expect(p7Text.replace(/ = /g, '=')).toContain('subject=O=T, CN=Test Issuing');
    expect(openssl('x509', '-in', writeTmp('again.pem', toPem(Buffer.from(cert.rawData), 'CERTIFICATE')), '-noout', '-serial')).toContain(serialHex.toUpperCase());
    expect(new x509.X509Certificate(cert.rawData).serialNumber).toBe(serialHex);
  });
});

function writeTmp(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
