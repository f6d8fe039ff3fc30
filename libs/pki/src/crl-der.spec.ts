import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaCertificate, buildCrlDer, generateCaKey, issuerInfo, keyObjectSigner, LeafTemplate, randomSerialHex, toPem } from './index';

// openssl reads, verifies and enforces every CRL built here.
const dir = mkdtempSync(join(tmpdir(), 'iis-crl-'));
const file = (n: string, d: string | Buffer) => {
  writeFileSync(join(dir, n), d);
  return join(dir, n);
};
const openssl = (...a: string[]) => execFileSync('openssl', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const now = new Date();

describe('buildCrlDer', () => {
  const keys = generateCaKey('P-384');
  const signer = keyObjectSigner(keys.privateKey, keys.publicKey);
  const ca = buildCaCertificate({ commonName: 'CRL CA', organization: 'T', publicKey: keys.publicKey, pathLen: 0, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 86400_000), signer });
  const info = issuerInfo(ca);
  const caFile = file('ca.pem', toPem(ca, 'CERTIFICATE'));
  const serial = randomSerialHex();
  const leaf = file('leaf.pem', toPem(new LeafTemplate({ issuerCertificate: ca, signer, usage: 'clientAuth', urls: { crl: 'http://c', caIssuers: 'http://c' } }).issue({ serialHex: serial, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3600_000), commonName: 'd', spki: generateCaKey('P-256').publicKey.export({ format: 'der', type: 'spki' }) }), 'CERTIFICATE'));
  const base = { issuer: info, signer, thisUpdate: now, nextUpdate: new Date(now.getTime() + 600_000) };

  it('ok/empty complete CRL: signature verifies, certificate passes crl_check', () => {
    const crl = file('empty.pem', toPem(buildCrlDer({ ...base, crlNumber: 1, entries: [], freshestCrlUrl: 'http://c/delta.crl' }), 'X509 CRL'));
    expect(spawnSync('openssl', ['crl', '-in', crl, '-noout', '-CAfile', caFile], { encoding: 'utf8' }).stderr).toContain('verify OK');
    const text = openssl('crl', '-in', crl, '-noout', '-text');
    expect(text).toContain('No Revoked Certificates');
    expect(text).toContain('X509v3 Freshest CRL');
    expect(openssl('verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crl, leaf)).toContain(': OK');
  });

  it('ok/revoked entries with reasons; openssl refuses the certificate', () => {
    const crl = file('full.pem', toPem(buildCrlDer({ ...base, crlNumber: 300, entries: [{ serialHex: serial, revokedAt: now, reasonCode: 1 }, { serialHex: '0a', revokedAt: now, reasonCode: 0 }] }), 'X509 CRL'));
    const text = openssl('crl', '-in', crl, '-noout', '-text');
    expect(text).toMatch(/CRL Number:\s*\n\s*300/);
    expect(text).toContain('Key Compromise');
    expect(text).toContain(serial.toUpperCase());
    const r = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crl, leaf], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('certificate revoked');
  });

  it('ok/delta CRL carries the critical delta indicator with its base number', () => {
    const crl = file('delta.pem', toPem(buildCrlDer({ ...base, crlNumber: 8, deltaBaseCrlNumber: 6, entries: [{ serialHex: serial, revokedAt: now, reasonCode: 4 }] }), 'X509 CRL'));
    const text = openssl('crl', '-in', crl, '-noout', '-text');
    expect(text).toMatch(/Delta CRL Indicator: critical\s*\n\s*6/);
    expect(text).toContain('Superseded');
  });
});
