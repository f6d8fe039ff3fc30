import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaCertificate, buildOcspResponderCertificate, CertStatus, generateCaKey, issuerInfo, keyObjectSigner, LeafTemplate, OcspResponseStatus, randomSerialHex, toPem } from '@iis/pki';
import { OcspResponderCore } from './ocsp-responder';

// Requests made by real openssl; responses read back by real openssl.
const dir = mkdtempSync(join(tmpdir(), 'iis-ocsp-'));
const openssl = (...a: string[]) => execFileSync('openssl', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const file = (n: string, d?: string | Buffer) => {
  const p = join(dir, n);
  if (d !== undefined) writeFileSync(p, d);
  return p;
};
let clock = new Date(Date.UTC(2031, 2, 3, 10, 0, 0));

function setup() {
  const now = new Date(clock.getTime() - 3600_000);
  const keys = generateCaKey('P-256');
  const signer = keyObjectSigner(keys.privateKey, keys.publicKey);
  const ca = buildCaCertificate({ commonName: 'OCSP Test CA', organization: 'T', publicKey: keys.publicKey, pathLen: 0, notBefore: now, notAfter: new Date(now.getTime() + 30 * 86400_000), signer });
  const info = issuerInfo(ca);
  const rk = generateCaKey('P-256');
  const responderCert = buildOcspResponderCertificate({ issuer: info, signer, publicKey: rk.publicKey, commonName: 'R', organization: 'T', notBefore: now, notAfter: new Date(now.getTime() + 86400_000) });
  const serial = randomSerialHex();
  const leaf = new LeafTemplate({ issuerCertificate: ca, signer, usage: 'clientAuth', urls: { crl: 'http://c', caIssuers: 'http://c' } }).issue({ serialHex: serial, notBefore: now, notAfter: new Date(now.getTime() + 86400_000), commonName: 'd', spki: generateCaKey('P-256').publicKey.export({ format: 'der', type: 'spki' }) });
  const statuses = new Map<string, CertStatus>([[serial, { kind: 'good' }]]);
  let lookups = 0;
  const core = new OcspResponderCore([{ id: 'issuing-1', subject: info.subject, spki: info.spki, responder: { certificate: responderCert, signer: keyObjectSigner(rk.privateKey, rk.publicKey) } }], async (_i, s) => {
    lookups++;
    return statuses.get(s) ?? { kind: 'unknown' };
  }, () => clock, 3600);
  return { ca: file('ca.pem', toPem(ca, 'CERTIFICATE')), leaf: file('leaf.pem', toPem(leaf, 'CERTIFICATE')), core, serial, lookups: () => lookups };
}

function request(issuer: string, target: string[], nonce = false): Buffer {
  const out = file(`req-${Math.random()}.der`);
  openssl('ocsp', '-issuer', issuer, ...target, ...(nonce ? [] : ['-no_nonce']), '-reqout', out);
  return readFileSync(out);
}

function read(body: Buffer, ca: string, extra: string[] = []): string {
  return openssl('ocsp', '-respin', file(`resp-${Math.random()}.der`, body), '-CAfile', ca, '-attime', String(Math.floor(clock.getTime() / 1000)), '-resp_text', ...extra);
}

describe('OCSP responder core', () => {
  it('ok/good, cached without touching the store again, and replaced the moment it is revoked', async () => {
    const t = setup();
    const req = request(t.ca, ['-cert', t.leaf]);
    const first = await t.core.respond(req);
    expect(first.httpStatus).toBe(200);
    expect(read(first.body, t.ca)).toContain('Cert Status: good');
    const second = await t.core.respond(req);
    expect(second.body.equals(first.body)).toBe(true);
    expect(t.lookups()).toBe(1);
    t.core.revoked('issuing-1', t.serial, new Date(clock.getTime() - 1000), 1);
    const third = await t.core.respond(req);
    const text = read(third.body, t.ca);
    expect(text).toContain('Cert Status: revoked');
    expect(text).toContain('keyCompromise');
    expect(t.lookups()).toBe(1);
  });

  it('ok/a released hold answers good at once, before the store has caught up', async () => {
    const t = setup();
    const req = request(t.ca, ['-cert', t.leaf]);
    t.core.revoked('issuing-1', t.serial, new Date(clock.getTime() - 1000), 6);
    expect(read((await t.core.respond(req)).body, t.ca)).toContain('certificateHold');
    t.core.released('issuing-1', t.serial);
    expect(read((await t.core.respond(req)).body, t.ca)).toContain('Cert Status: good');
  });

  it('ok/a nonce is echoed in a freshly signed response', async () => {
    const t = setup();
    const a = await t.core.respond(request(t.ca, ['-cert', t.leaf], true));
    expect(read(a.body, t.ca)).toContain('OCSP Nonce');
    expect(a.maxAgeSeconds).toBe(0);
  });

  it('ok/a serial never issued is unknown', async () => {
    const t = setup();
    const a = await t.core.respond(request(t.ca, ['-serial', '0x0102030405']));
    expect(read(a.body, t.ca)).toContain('Cert Status: unknown');
  });

  it.each([
    ['fail/garbage', Buffer.from('garbage'), 400, 'malformedrequest'],
    ['fail/empty', Buffer.alloc(0), 400, 'malformedrequest'],
  ])('%s', async (_n, body, status, text) => {
    const t = setup();
    const a = await t.core.respond(body);
    expect(a.httpStatus).toBe(status);
    expect(a.body).toEqual(Buffer.from([0x30, 0x03, 0x0a, 0x01, OcspResponseStatus.MalformedRequest]));
    const r = spawnSync('openssl', ['ocsp', '-respin', file('err.der', a.body), '-resp_text', '-noverify'], { encoding: 'utf8' });
    expect((r.stdout + r.stderr).toLowerCase()).toContain(text);
  });

  it('fail/a request about another issuer is unauthorized', async () => {
    const t = setup();
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('o.key'), '-subj', '/CN=Other', '-days', '1', '-out', file('o.pem'));
    const a = await t.core.respond(request(file('o.pem'), ['-serial', '0x01']));
    expect(a.body).toEqual(Buffer.from([0x30, 0x03, 0x0a, 0x01, OcspResponseStatus.Unauthorized]));
  });

  it('ok/the cached answer is refreshed after half its validity', async () => {
    const t = setup();
    const req = request(t.ca, ['-cert', t.leaf]);
    await t.core.respond(req);
    clock = new Date(clock.getTime() + 1801_000);
    await t.core.respond(req);
    expect(t.lookups()).toBe(2);
  });
});
