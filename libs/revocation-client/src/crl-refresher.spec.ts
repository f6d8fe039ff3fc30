import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrlRequest, DomainError, ErrorCode } from '@iis/contracts';
import { x509 } from '@iis/pki';
import { CrlCheckCode } from './ca-chain';
import { CaClient, CrlRefresher } from './crl-refresher';
import { CrlFiles } from './crl-writer';
import { FakeCa } from './testing/fake-ca';
import { waitFor } from './testing/wait';

jest.setTimeout(30_000);

// A real CA hierarchy and real signed CRLs (@iis/pki); the CA client is a stub, not NATS.
let dir: string;
let ca: FakeCa;
let files: CrlFiles;
let lines: string[];
let crlCalls: CrlRequest[];
let failWith: DomainError | undefined;
let signWith: FakeCa | undefined;
let refresher: CrlRefresher;

const client: CaClient = {
  caCerts: async () => {
    if (failWith) throw failWith;
    return ca.caCerts();
  },
  crl: async (req) => {
    crlCalls.push(req);
    if (failWith) throw failWith;
    if (req.issuerId === ca.rootId) return ca.arl(req);
    if (req.issuerId !== ca.issuerId) throw new DomainError(ErrorCode.NotFound, `no issuer ${req.issuerId}`);
    return (signWith ?? ca).crl(req).then((r) => ({ ...r, issuerId: req.issuerId }));
  },
};

function make(): CrlRefresher {
  return new CrlRefresher({ ca: client, files, log: (l) => lines.push(l), now: () => new Date(), retryMs: 5, maxRetryMs: 20 });
}

const crlEntries = (file: string) => new x509.X509Crl(readFileSync(file, 'utf8')).entries.map((e) => e.serialNumber);

beforeAll(async () => {
  ca = await FakeCa.create();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iis-agent-crl-'));
  files = new CrlFiles(dir);
  await files.prepare();
  lines = [];
  crlCalls = [];
  failWith = undefined;
  signWith = undefined;
  ca.revoked.clear();
  refresher = make();
});
afterEach(async () => {
  await refresher.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('CrlRefresher', () => {
  it('ok/start writes the CA chain, the issuer CRL and crl.pem', async () => {
    await refresher.start([], 0);
    expect(readFileSync(files.chainFile, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const issuerFile = files.issuerFile(ca.issuerId);
    expect(readFileSync(files.bundleFile, 'utf8')).toContain(readFileSync(issuerFile, 'utf8'));
    expect(lines).toContain(`agent: wrote crl issuer=${ca.issuerId} entries=0 file=${issuerFile}`);
  });

  it('ok/start also writes the root ARL, so a broker checking the whole chain has a CRL for every CA', async () => {
    await refresher.start([], 0);
    const bundle = readFileSync(files.bundleFile, 'utf8');
    expect(bundle.match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect(bundle).toContain(readFileSync(files.issuerFile(ca.rootId), 'utf8'));
    expect(new x509.X509Crl(readFileSync(files.issuerFile(ca.rootId), 'utf8')).issuer).toBe(ca.root.subject);
  });

  it('ok/marks within one burst share one CRL request, with the highest sequence', async () => {
    await refresher.start([], 0);
    const before = crlCalls.length;
    ca.revoked.set('5a1e01', { revokedAt: new Date(), reason: 'keyCompromise' });
    refresher.markDirty(ca.issuerId, 3);
    refresher.markDirty(ca.issuerId, 5);
    refresher.markDirty(ca.issuerId, 4);
    await waitFor(() => crlEntries(files.bundleFile).length === 1, 'the CRL with the revoked serial');
    expect(crlCalls.slice(before)).toEqual([{ issuerId: ca.issuerId, atLeastSequence: 5 }]);
    expect(lines).toContain(`agent: wrote crl issuer=${ca.issuerId} entries=1 file=${files.issuerFile(ca.issuerId)}`);
  });

  it('ok/an unavailable CA keeps the old files, then the refresh is retried', async () => {
    await refresher.start([], 0);
    const old = readFileSync(files.bundleFile, 'utf8');
    failWith = new DomainError(ErrorCode.Unavailable, 'no answer');
    ca.revoked.set('5a1e02', { revokedAt: new Date(), reason: 'keyCompromise' });
    refresher.markDirty(ca.issuerId, 1);
    await waitFor(() => crlCalls.length >= 3, 'a few failed attempts');
    expect(readFileSync(files.bundleFile, 'utf8')).toBe(old);
    expect(lines.some((l) => l.includes('UNAVAILABLE') && l.includes('keeping the old file'))).toBe(true);
    failWith = undefined;
    await waitFor(() => crlEntries(files.bundleFile).length === 1, 'the retried CRL');
  });

  it('ok/an unreachable CA at start: nothing written, the chain comes later', async () => {
    failWith = new DomainError(ErrorCode.Unavailable, 'no answer');
    await refresher.start([], 0);
    expect(existsSync(files.chainFile)).toBe(false);
    failWith = undefined;
    await waitFor(() => existsSync(files.bundleFile), 'crl.pem after the CA came back');
    expect(existsSync(files.chainFile)).toBe(true);
  });

  it('fail/a CRL signed by another key under the same CA name is not written', async () => {
    await refresher.start([], 0);
    const old = readFileSync(files.bundleFile, 'utf8');
    signWith = await FakeCa.create();
    refresher.markDirty(ca.issuerId, 1);
    await waitFor(() => lines.some((l) => l.includes(CrlCheckCode.BadSignature)), 'the refused CRL');
    expect(readFileSync(files.bundleFile, 'utf8')).toBe(old);
  });

  it('ok/an issuer the CA does not know is dropped, not asked again', async () => {
    await refresher.start(['issuing-gone'], 0);
    await waitFor(() => lines.some((l) => l.includes('issuer=issuing-gone') && l.includes('no CRL')), 'the NOT_FOUND answer');
    expect(crlCalls.filter((c) => c.issuerId === 'issuing-gone')).toHaveLength(1);
    expect(existsSync(join(dir, 'crl', 'issuing-gone.crl.pem'))).toBe(false);
  });
});
