import { execFileSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@iis/contracts';
import { BatchWriter, openStore, RowSkipped } from '@iis/persistence';
import { CA_MIGRATIONS } from '../migrations';
import { CrlStateEntity, StreamPositionEntity } from '../crl/crl-state.entity';
import { AuthorityCrlEntity } from '../crl/authority-crl.entity';
import { IssuerEntity } from '../hierarchy/issuer.entity';
import { certificateInserter } from './certificate-store';
import { CertificateEntity } from './certificate.entity';
import { earlierIssue } from './earlier-issue';

// Real SQLite with the CA's own migrations; certificates made by real openssl. PostgreSQL (the
// same SQL, ON CONFLICT on the partial index) is covered through the running CA in test/ca.e2e-spec.ts.
const dir = mkdtempSync(join(tmpdir(), 'iis-idem-'));
const openssl = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
for (const n of ['a', 'b']) openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${n}.key`, '-subj', `/CN=${n}`, '-days', '1', '-out', `${n}.pem`);
const der = (n: string) => Buffer.from(new X509Certificate(readFileSync(join(dir, `${n}.pem`))).raw);
const spki = (n: string) => createPublicKey(readFileSync(join(dir, `${n}.key`))).export({ format: 'der', type: 'spki' });
const KEY = 'ab'.repeat(32);
const now = new Date();
const hour = 3600_000;
let serials = 0;

function row(over: Partial<CertificateEntity> = {}): Partial<CertificateEntity> {
  return {
    serial: (++serials).toString(16).padStart(16, '0'), issuerId: 'iss-1', profile: 'device', deviceId: 'dev-1', iccid: null, subject: 'CN=dev-1',
    notBefore: new Date(now.getTime() - hour), notAfter: new Date(now.getTime() + hour), revokedAt: null, revocationReason: null, der: der('a').toString('base64'), idempotencyKey: KEY, ...over,
  };
}
const ctx = (over: Partial<Parameters<typeof earlierIssue>[1]> = {}) => ({ key: KEY, profile: 'device', deviceId: 'dev-1', spki: spki('a'), now, chainIssuerIds: ['iss-1'], chain: [Buffer.from('issuing'), Buffer.from('root')], ...over });

async function open(databaseUrl: string | undefined, dataDir: string): Promise<DataSource> {
  return openStore({ databaseUrl, dataDir }, { service: 'ca', entities: [IssuerEntity, CertificateEntity, CrlStateEntity, StreamPositionEntity, AuthorityCrlEntity], migrations: CA_MIGRATIONS });
}

describe('idempotent issuance: the store and the earlier certificate', () => {
  it('ok/one row per key in a batch, the loser named; rows without a key never conflict; the stored one stands for a retry until revoked, expired or rotated out', async () => {
    const ds = await open(undefined, mkdtempSync(join(dir, 'db-')));
    try {
      const insert = certificateInserter(ds);
      const skipped = await insert([row(), row(), row({ idempotencyKey: null }), row({ idempotencyKey: null })]);
      expect([...skipped]).toEqual([1]);
      expect(await ds.getRepository(CertificateEntity).count()).toBe(3);

      const writer = new BatchWriter(insert);
      const results = await Promise.allSettled([writer.add(row()), writer.add(row({ idempotencyKey: 'cd'.repeat(32) }))]);
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(RowSkipped) });
      expect(results[1].status).toBe('fulfilled');

      // The certificate stored under the key stands for a retry of the same request.
      const earlier = await earlierIssue(ds, ctx());
      expect(earlier).toMatchObject({ serial: '0000000000000001', certificate: der('a').toString('base64'), chain: [Buffer.from('issuing').toString('base64'), Buffer.from('root').toString('base64')] });

      // The same key from another device, profile or public key is a conflict, not a substitute.
      for (const over of [{ deviceId: 'dev-2' }, { profile: 'server' }, { spki: spki('b') }]) {
        await expect(earlierIssue(ds, ctx(over))).rejects.toMatchObject({ code: ErrorCode.Conflict });
      }

      // Revoked: the key is released and a fresh certificate may take it.
      await ds.getRepository(CertificateEntity).update({ serial: '0000000000000001' }, { revokedAt: now, revocationReason: 1 });
      expect(await earlierIssue(ds, ctx())).toBeNull();
      expect([...(await insert([row({ serial: 'ff01' })]))]).toEqual([]);
      expect(await earlierIssue(ds, ctx())).toMatchObject({ serial: 'ff01' });

      // Expired, or from an issuer rotated out of the chain: released too.
      expect(await earlierIssue(ds, ctx({ now: new Date(now.getTime() + 2 * hour) }))).toBeNull();
      expect([...(await insert([row({ serial: 'ff02' })]))]).toEqual([]);
      expect(await earlierIssue(ds, ctx({ chainIssuerIds: ['iss-2'] }))).toBeNull();
      expect(await ds.getRepository(CertificateEntity).countBy({ idempotencyKey: KEY })).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
