import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaCertificate, generateCaKey, issuerInfo, keyObjectSigner, LeafTemplate, Pkcs11Token, PkiErrorCode, randomSerialHex, toPem } from './index';

// Real SoftHSM2 (Debian softhsm2) through pkcs11js; real openssl verifies what the token signed.
const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const dir = mkdtempSync(join(tmpdir(), 'iis-p11-'));
mkdirSync(join(dir, 'tokens'));
writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'iis-test', '--pin', '123456', '--so-pin', '12345678'], { stdio: 'ignore' });
const openssl = (...a: string[]) => execFileSync('openssl', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (n: string, d: string) => {
  writeFileSync(join(dir, n), d);
  return join(dir, n);
};

describe('PKCS#11 token refusals (SoftHSM2)', () => {
  it.each([
    ['fail/wrong PIN', { tokenLabel: 'iis-test', pin: '000000' }, PkiErrorCode.BadKeyPassphrase],
    ['fail/no such token', { tokenLabel: 'nope', pin: '123456' }, PkiErrorCode.UnsupportedKey],
    ['fail/no such module', { module: '/nonexistent/lib.so', tokenLabel: 'iis-test', pin: '123456' }, PkiErrorCode.UnsupportedKey],
  ])('%s', (_n, s, code) => {
    expect(() => Pkcs11Token.open({ module: MODULE, ...s })).toThrow(expect.objectContaining({ code }));
  });

});

describe('PKCS#11 signer (SoftHSM2)', () => {
  let token: Pkcs11Token;
  beforeAll(() => {
    token = Pkcs11Token.open({ module: MODULE, tokenLabel: 'iis-test', pin: '123456' });
  });
  afterAll(() => token?.close());

  it.each([['ok/P-256', 'P-256' as const], ['ok/P-384', 'P-384' as const]])('%s: an issuing key in the token signs a certificate openssl verifies; the key cannot be read', (_n, alg) => {
    const now = new Date();
    const rootKeys = generateCaKey(alg);
    const rootSigner = keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey);
    const root = buildCaCertificate({ commonName: 'Root', organization: 'T', publicKey: rootKeys.publicKey, pathLen: 1, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 86400_000), signer: rootSigner });
    const id = token.generate(alg, `issuing-${alg}`);
    const signer = token.signer(alg, id);
    const { createPublicKey } = require('node:crypto') as typeof import('node:crypto');
    const issuing = buildCaCertificate({
      commonName: `HSM Issuing ${alg}`, organization: 'T', publicKey: createPublicKey({ key: signer.spki, format: 'der', type: 'spki' }), pathLen: 0,
      notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 86400_000), issuer: issuerInfo(root), signer: rootSigner,
    });
    const tpl = new LeafTemplate({ issuerCertificate: issuing, signer, usage: 'clientAuth', urls: { crl: 'http://c/crl', ocsp: 'http://c/ocsp', caIssuers: 'http://c/ca' } });
    const leafKeys = generateCaKey('P-256');
    const leaf = tpl.issue({ serialHex: randomSerialHex(), notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3600_000), commonName: 'dev', spki: leafKeys.publicKey.export({ format: 'der', type: 'spki' }) });
    expect(openssl('verify', '-x509_strict', '-CAfile', write(`r-${alg}.pem`, toPem(root, 'CERTIFICATE')), '-untrusted', write(`i-${alg}.pem`, toPem(issuing, 'CERTIFICATE')), write(`l-${alg}.pem`, toPem(leaf, 'CERTIFICATE')))).toContain(': OK');
    expect(token.privateKeyFlags(id)).toEqual({ sensitive: true, extractable: false });
    expect(token.tryReadPrivateValue(id)).toBeNull();
  });

  it('fail/Ed25519 and RSA keys are not generated in the token', () => {
    expect(() => token.generate('Ed25519', 'x')).toThrow(expect.objectContaining({ code: PkiErrorCode.UnsupportedKey }));
  });
});
