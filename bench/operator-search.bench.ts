import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openStore } from '@iis/persistence';
import { CA_ENTITIES, CA_MIGRATIONS } from '../services/ca/src/app.module';
import { CertificateSearchService } from '../services/ca/src/certificates/certificate-search.service';
import { AuditEntryEntity } from '../services/operator-api/src/audit/audit-entry.entity';
import { chain, ChainedAuditEntry } from '../services/operator-api/src/audit/audit-chain';
import { AuditService } from '../services/operator-api/src/audit/audit.service';
import { OperatorApiInitial1732400000000 } from '../services/operator-api/src/migrations/1732400000000-operator-api-initial';
import { OperatorApiAudit1732500000000 } from '../services/operator-api/src/migrations/1732500000000-operator-api-audit';
import { Benchmark, opsPerSecond } from './harness';

const ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 1_000_000);
const AUDIT_ROWS = 200_000;

/**
 * The operator API's read paths at scale, on SQLite (the embedded default): certificate search
 * pages over a million certificates, deep in the keyset, per filter; and the audit chain check.
 * The service code is the real one; the rows are written straight into the store first.
 */
export async function operatorSearchBenchmarks(): Promise<Benchmark[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-search-'));
  // The stores stay open while the benchmarks run; the folder goes when the process ends.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const now = new Date();

  // Filled on first use (a warm-up run, never a measured one), so `bench -- audit` skips the million certificates.
  let certStore: Promise<{ search: CertificateSearchService; deepCursor: string; deepSerial: string }> | undefined;
  const certs = () =>
    (certStore ??= (async () => {
      const ca = await openStore({ dataDir: dir, databaseUrl: undefined }, { service: 'ca', entities: CA_ENTITIES, migrations: CA_MIGRATIONS });
      const started = Date.now();
      await fill(ca, now);
      process.stderr.write(`  ${ROWS.toLocaleString('en-US')} certificates written in ${((Date.now() - started) / 1000).toFixed(1)} s (set-up, not measured)\n`);
      // A cursor 90% of the way through, by serial.
      const row = await ca.query(`SELECT serial FROM ca_certificates ORDER BY serial LIMIT 1 OFFSET ${Math.floor(ROWS * 0.9)}`);
      return { search: new CertificateSearchService(ca, { now: () => now }), deepCursor: Buffer.from(JSON.stringify(['s', row[0].serial])).toString('base64url'), deepSerial: row[0].serial as string };
    })());
  const windowEnd = new Date(now.getTime() + 30 * 86400_000).toISOString();
  const deviceId = `dev-${String(Math.floor(ROWS / 3)).padStart(7, '0')}`;

  let auditStore: Promise<DataSource> | undefined;
  const audit = () =>
    (auditStore ??= (async () => {
      const ds = await openStore({ dataDir: dir, databaseUrl: undefined }, { service: 'operator-api', entities: [AuditEntryEntity], migrations: [OperatorApiInitial1732400000000, OperatorApiAudit1732500000000] });
      const entries: ChainedAuditEntry[] = [];
      for (let i = 0; i < AUDIT_ROWS; i++) {
        entries.push(chain(entries[i - 1] ?? null, { at: now, actorId: 'a', actor: 'alice', role: 'security-admin', action: 'sim.report-lost', target: `/api/v1/sims/${i}`, device: `dev-${i % 1000}`, reason: 'bench', outcome: 'ok', status: 200, detail: null }));
      }
      await ds.transaction(async (m) => {
        for (let i = 0; i < entries.length; i += 500) await m.getRepository(AuditEntryEntity).insert(entries.slice(i, i + 500));
      });
      return ds;
    })());

  return [
    { name: 'search-cert-by-device', unit: 'pages/s', goal: 'flat with table size', run: async () => { const { search } = await certs(); return opsPerSecond(() => search.search({ deviceId, limit: 100 }), 1000); }, reference: `${ROWS.toLocaleString('en-US')} certificates, SQLite` },
    { name: 'search-cert-first-serial-page', unit: 'pages/s', goal: 'same as the deep page', run: async () => { const { search } = await certs(); return opsPerSecond(() => search.search({ limit: 100 }), 1000); }, reference: 'page 1, 100 rows' },
    { name: 'search-cert-deep-serial-page', unit: 'pages/s', goal: 'flat with depth', run: async () => { const { search, deepCursor } = await certs(); return opsPerSecond(() => search.search({ cursor: deepCursor, limit: 100 }), 1000); }, reference: 'page 9,001 of 10,000 (keyset), 100 rows' },
    { name: 'search-cert-expiry-window', unit: 'pages/s', goal: 'flat with table size', run: async () => { const { search } = await certs(); return opsPerSecond(() => search.search({ status: 'valid', expiresBefore: windowEnd, limit: 100 }), 1000); }, reference: 'valid, expiring within 30 days' },
    { name: 'search-cert-by-serial', unit: 'pages/s', goal: 'flat with table size', run: async () => { const { search, deepSerial } = await certs(); return opsPerSecond(() => search.search({ serial: deepSerial }), 1000); } },
    {
      name: 'audit-verify-chain',
      unit: 'entries/s',
      goal: '>= 100,000 entries/s',
      run: async () => {
        // The service's own check (batches of 2,000 through TypeORM); it needs no NATS.
        const service = new AuditService(await audit(), { now: () => now }, undefined as never);
        const t = process.hrtime.bigint();
        const r = await service.verify();
        if (!r.ok || r.checked !== AUDIT_ROWS) throw new Error(`bench chain broken: ${JSON.stringify(r)}`);
        return AUDIT_ROWS / (Number(process.hrtime.bigint() - t) / 1e9);
      },
      reference: `${AUDIT_ROWS.toLocaleString('en-US')} entries, SQLite, SHA-256 per entry`,
    },
  ];
}

/** Raw inserts in one transaction: 1/3 revoked, notAfter spread over 90 days, 3 certificates per device. */
async function fill(ds: DataSource, now: Date): Promise<void> {
  const db = (ds.driver as unknown as { databaseConnection: { prepare(s: string): { run(...a: unknown[]): void }; transaction(f: () => void): () => void } }).databaseConnection;
  const insert = db.prepare(
    'INSERT INTO ca_certificates (serial, issuerId, profile, deviceId, iccid, subject, notBefore, notAfter, revokedAt, revocationReason, der, createdAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const iso = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
  const nb = iso(now);
  // Serials are random; inserting them in order keeps the primary-key B-tree appends cheap.
  const serials = Array.from({ length: ROWS }, () => randomBytes(16).toString('hex').replace(/^0+/, '')).sort();
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const serial = serials[i];
      const notAfter = iso(new Date(now.getTime() + ((i * 7919) % (90 * 86400)) * 1000));
      const revoked = i % 3 === 0 ? nb : null;
      insert.run(serial, 'issuing-bench', 'device', `dev-${String(Math.floor(i / 3)).padStart(7, '0')}`, `8944${String(i).padStart(16, '0')}`, 'CN=bench', nb, notAfter, revoked, revoked ? 1 : null, 'AA==', nb);
    }
  })();
}
