import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@iis/contracts';
import { openStore } from '@iis/persistence';
import { createHierarchy, exportRoot, importHierarchy, importRootKey, removeRootKey, rotateIssuingCa } from './hierarchy-store';
import { IssuerEntity } from './issuer.entity';
import { CertificateEntity } from '../issuance/certificate.entity';
import { CrlStateEntity, StreamPositionEntity } from '../crl/crl-state.entity';
import { CaInitial1732400000000 } from '../migrations/1732400000000-ca-initial';
import { CaKeyReference1764000000000 } from '../migrations/1764000000000-ca-key-reference';

// Real SQLite (the CA's own migrations) and a hierarchy made by real openssl.
const dir = mkdtempSync(join(tmpdir(), 'iis-hstore-'));
const s = { keyPassphrase: 'a passphrase of sufficient length', trustDomain: 'iis.test' };
const openssl = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
let n = 0;
async function store(): Promise<DataSource> {
  return openStore({ databaseUrl: undefined, dataDir: join(dir, `db${++n}`) }, { service: 'ca', entities: [IssuerEntity, CertificateEntity, CrlStateEntity, StreamPositionEntity], migrations: [CaInitial1732400000000, CaKeyReference1764000000000] });
}
const read = (f: string) => readFileSync(join(dir, f), 'utf8');

beforeAll(() => {
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'root.key', '-subj', '/O=Old/CN=Old Root', '-days', '3650', '-out', 'root.pem');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'iss.key', '-subj', '/O=Old/CN=Old Issuing', '-out', 'iss.csr');
  openssl('x509', '-req', '-in', 'iss.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '365', '-extfile', 'ca.ext', '-out', 'iss.pem');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other.key', '-subj', '/CN=Other', '-days', '1', '-out', 'other.pem');
});

describe('hierarchy store', () => {
  it('ok/imports an openssl hierarchy with the root offline; rotation then needs the root key', async () => {
    const ds = await store();
    const r = await importHierarchy(ds, s, { rootPem: read('root.pem'), issuingPem: read('iss.pem'), issuingKeyPem: read('iss.key') });
    const rows = await ds.getRepository(IssuerEntity).find();
    expect(rows.find((x) => x.id === r.rootId)!.encryptedKey).toBeNull();
    expect(rows.find((x) => x.id === r.issuingId)!.keyAlgorithm).toBe('P-384');
    expect(rows.find((x) => x.id === r.issuingId)!.encryptedKey).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    await expect(rotateIssuingCa(ds, s, new Date())).rejects.toMatchObject({ code: ErrorCode.Conflict });
    await expect(importRootKey(ds, s, read('other.key'))).rejects.toMatchObject({ code: ErrorCode.BadRequest });
    await importRootKey(ds, s, read('root.key'));
    const rotated = await rotateIssuingCa(ds, s, new Date());
    expect(rotated.previousIssuerId).toBe(r.issuingId);
    await ds.destroy();
  });

  it.each([
    ['fail/issuing key of another certificate', { issuingKeyPem: 'other.key' }, ErrorCode.BadRequest],
    ['fail/issuing CA not issued by the root', { issuingPem: 'other.pem', issuingKeyPem: 'other.key' }, ErrorCode.BadRequest],
    ['fail/a leaf as root', { rootPem: 'other.pem' }, ErrorCode.BadRequest],
  ])('%s', async (_n, swap, code) => {
    const ds = await store();
    const files = { rootPem: 'root.pem', issuingPem: 'iss.pem', issuingKeyPem: 'iss.key', ...swap };
    await expect(importHierarchy(ds, s, { rootPem: read(files.rootPem), issuingPem: read(files.issuingPem), issuingKeyPem: read(files.issuingKeyPem) })).rejects.toMatchObject({ code });
    expect(await ds.getRepository(IssuerEntity).count()).toBe(0); // nothing half-written
    await ds.destroy();
  });

  it('fail/import into a CA that already has a hierarchy', async () => {
    const ds = await store();
    await createHierarchy(ds, s, new Date(), 'Ed25519');
    await expect(importHierarchy(ds, s, { rootPem: read('root.pem'), issuingPem: read('iss.pem'), issuingKeyPem: read('iss.key') })).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const exported = await exportRoot(ds);
    await expect(removeRootKey(ds, 'not the export')).rejects.toMatchObject({ code: ErrorCode.BadRequest });
    await removeRootKey(ds, exported.encryptedKeyPem);
    await expect(exportRoot(ds)).rejects.toMatchObject({ code: ErrorCode.Conflict });
    await ds.destroy();
  });
});
