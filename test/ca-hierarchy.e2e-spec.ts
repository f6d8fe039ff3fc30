import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { CaCertsReply, CaIssueRequest, CrlReply, CrlRequest, IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { freePort } from '../tools/launcher/src/ports';
import { OpensslDevice } from './support/device';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * Hierarchy lifecycle and scale-out against the running suite. Real: the launcher's services,
 * nats-server, SQLite, a second CA process in the same queue group, openssl as device and
 * verifier, idctl revoking through the revocation service, ca-admin as the operator.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const caMain = path.join(repoRoot, 'dist/services/ca/src/main.js');
const caAdmin = path.join(repoRoot, 'dist/services/ca/src/admin.js');

describe.each(databasesUnderTest())('CA hierarchy: rotation with overlap, offline root, two instances (%s)', (db) => {
  let suite: RunningSuite;
  let work: string;
  let second: ChildProcess | undefined;
  let nc: NatsConnection;
  let dropDb: (() => Promise<void>) | undefined;
  let dbUrl = '';
  const f = (n: string) => path.join(work, n);
  const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
  const admin = (...args: string[]) => run(process.execPath, [caAdmin, ...args], { env: { ...process.env, DATA_DIR: suite.dataDir, NATS_URL: suite.natsUrl, DATABASE_URL: dbUrl } });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-ca-h-'));
    if (db === 'postgres') {
      const created = await createTestDatabase();
      dbUrl = created.url;
      dropDb = created.drop;
    }
    suite = await startSuite(dbUrl ? { DATABASE_URL: dbUrl } : {});
    nc = await connect({ servers: suite.natsUrl });
  });

  afterAll(async () => {
    if (second && second.exitCode === null) {
      second.kill('SIGINT');
      await new Promise((r) => second!.once('exit', r));
    }
    await nc?.drain();
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  function enroll(serialNo: string, iccid: string): { certFile: string; serial: string; issuerCn: string } {
    const added = JSON.parse(idctlRun('device', 'add', '--serial', serialNo, '--iccid', iccid, '--imsi', '234150999999992', '--imei', '490154203237518', '--json').stdout);
    const dev = new OpensslDevice(work, serialNo.toLowerCase());
    const chain = f(`chain-${serialNo}.pem`);
    run('curl', ['-s', '-f', '-o', chain, `${suite.caUrl}/ca/chain.pem`]);
    const res = dev.enroll(suite.estUrl, chain, serialNo, added.secret.secret);
    expect(res.status).toBe(200);
    const certFile = dev.certificateFromResponse(res.bodyFile);
    const text = run('openssl', ['x509', '-in', certFile, '-noout', '-serial', '-issuer']).stdout;
    return { certFile, serial: /serial=([0-9A-F]+)/.exec(text)![1].toLowerCase(), issuerCn: /CN ?= ?([^\n]+)/.exec(text)![1] };
  }

  it('rotates the issuing CA with overlap, takes the root offline, refuses to rotate without it', async () => {
    const a = enroll('SN-H-A', '89441000303122845249');
    expect(a.issuerCn).toBe('IoT Identity Suite Issuing CA 1');

    const rotated = admin('rotate');
    expect(rotated.stderr).toBe('');
    const r = JSON.parse(rotated.stdout);
    expect(r.newIssuerId).not.toBe(r.previousIssuerId);

    // Both issuers are published during the overlap: the new one first, then the old, then the root.
    const chain = f('chain-after.pem');
    run('curl', ['-s', '-f', '-o', chain, `${suite.caUrl}/ca/chain.pem`]);
    const subjects = run('openssl', ['crl2pkcs7', '-nocrl', '-certfile', chain]).stdout;
    const printed = run('openssl', ['pkcs7', '-print_certs', '-noout'], { input: subjects }).stdout;
    expect(printed.match(/subject=.*CN ?= ?(.+)/g)!.map((l) => /CN ?= ?(.+)/.exec(l)![1])).toEqual(['IoT Identity Suite Issuing CA 2', 'IoT Identity Suite Issuing CA 1', 'IoT Identity Suite Root CA']);
    const cacerts = await new RpcClient(nc).request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {});
    expect(cacerts.issuerIds).toEqual([r.newIssuerId, r.previousIssuerId]);

    // New certificates come from the new issuer; the old certificate still verifies.
    const b = enroll('SN-H-B', '89441000303122845256');
    expect(b.issuerCn).toBe('IoT Identity Suite Issuing CA 2');
    expect(run('openssl', ['verify', '-CAfile', chain, a.certFile]).stdout).toContain(': OK');
    expect(run('openssl', ['verify', '-CAfile', chain, b.certFile]).stdout).toContain(': OK');

    // ...and stays revocable: OCSP and the old issuer's CRL both say revoked after report-lost.
    expect(idctlRun('sim', 'report-lost', '89441000303122845249', '--reason', 'stolen').code).toBe(0);
    const oldIssuer = f('old-issuer.pem');
    fs.writeFileSync(oldIssuer, fs.readFileSync(chain, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)![1]);
    let ocsp = '';
    for (let i = 0; i < 200 && !ocsp.includes(': revoked'); i++) {
      ocsp = run('openssl', ['ocsp', '-issuer', oldIssuer, '-cert', a.certFile, '-url', `${suite.caUrl}/ocsp`, '-CAfile', chain, '-no_nonce']).stdout;
      if (!ocsp.includes(': revoked')) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ocsp).toContain(': revoked');
    const crl = f('old.crl');
    let crlText = '';
    for (let i = 0; i < 200 && !crlText.includes(a.serial.toUpperCase()); i++) {
      run('curl', ['-s', '-f', '-o', crl, `${suite.caUrl}/crl/${r.previousIssuerId}.crl`]);
      crlText = run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-text']).stdout;
      if (!crlText.includes(a.serial.toUpperCase())) await new Promise((res) => setTimeout(res, 100));
    }
    expect(crlText).toContain(a.serial.toUpperCase());
    expect(run('openssl', ['ocsp', '-issuer', f('chain-after.pem'), '-cert', b.certFile, '-url', `${suite.caUrl}/ocsp`, '-CAfile', chain]).stdout).toContain(': good');

    // Offline root: export, remove, and a rotation is then refused with the reason.
    const out = f('offline-root');
    const exported = admin('export-root', '--out', out);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'root-key.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(admin('remove-root-key', '--exported', f('chain-after.pem')).stderr).toContain('not the export');
    const removed = admin('remove-root-key', '--exported', path.join(out, 'root-key.pem'));
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("signed the root's ARL, valid until");
    // The offline root's ARL is still served: signed by the root, current for a year.
    const rootId = JSON.parse(admin('describe').stdout).issuers.find((i: { kind: string }) => i.kind === 'root').id;
    const arl = f('root.arl');
    expect(run('curl', ['-s', '-f', '-o', arl, `${suite.caUrl}/crl/${rootId}.crl`]).code).toBe(0);
    const rootPem = path.join(out, 'root.pem');
    const arlCheck = run('openssl', ['crl', '-inform', 'DER', '-in', arl, '-CAfile', rootPem, '-noout', '-nextupdate']);
    expect(arlCheck.stderr + arlCheck.stdout).toContain('verify OK');
    const nextUpdate = new Date(/nextUpdate=(.*)/.exec(arlCheck.stdout)![1]);
    expect(nextUpdate.getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
    expect(run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${suite.caUrl}/crl/${rootId}.delta.crl`]).stdout).toBe('404');
    const described = JSON.parse(admin('describe').stdout);
    expect(described.issuers.find((i: { kind: string }) => i.kind === 'root').keyProtection).toBe('offline');
    const refused = admin('rotate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('offline');
    // Issuance goes on without the root.
    expect(enroll('SN-H-C', '89441000303122845264').issuerCn).toBe('IoT Identity Suite Issuing CA 2');
    // Bring it back, rotate, and it works again.
    expect(admin('import-root-key', '--in', path.join(out, 'root-key.pem')).code).toBe(0);
    expect(admin('rotate').code).toBe(0);
  });

  it('two CA instances in one queue group: no duplicate serials, no CRL number taken twice', async () => {
    const port = await freePort();
    let out = '';
    second = spawn(process.execPath, [caMain], {
      env: { ...process.env, DATA_DIR: suite.dataDir, NATS_URL: suite.natsUrl, CA_HTTP_PORT: String(port), CA_OPS_PORT: '0', CA_KEY_PASSPHRASE_FILE: path.join(suite.dataDir, 'secrets', 'ca-key-passphrase'), DATABASE_URL: dbUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    second.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    second.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    for (let i = 0; i < 300 && !out.includes('ready'); i++) await new Promise((res) => setTimeout(res, 100));
    expect(out).toContain('ready');

    const rpc = new RpcClient(nc, 20_000);
    const key = f('many.key');
    const csrDer = f('many.csr');
    run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=x', '-outform', 'DER', '-out', csrDer]);
    const csr = fs.readFileSync(csrDer).toString('base64');
    const issued = await Promise.all(
      Array.from({ length: 400 }, (_v, i) =>
        rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr, profile: 'device', subject: { commonName: `load-${i}` }, ttlSeconds: 3600 }),
      ),
    );
    expect(new Set(issued.map((c) => c.serial)).size).toBe(400);

    // Bad input over NATS: a clear, typed error for each, and the CA keeps serving.
    const mk = (name: string, keyArgs: string[], extra: string[] = []) => {
      const k = f(`${name}.key`);
      const c = f(`${name}.csr`);
      run('openssl', ['req', '-new', '-newkey', ...keyArgs, '-nodes', '-keyout', k, '-subj', '/CN=x', ...extra, '-outform', 'DER', '-out', c]);
      return fs.readFileSync(c).toString('base64');
    };
    const bad: Array<[string, CaIssueRequest, string, RegExp]> = [
      ['CA:true', { csr: mk('ca', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-addext', 'basicConstraints=critical,CA:TRUE']), profile: 'device', subject: { commonName: 'x' }, ttlSeconds: 3600 }, 'BAD_CSR', /CA certificate/],
      ['RSA 1024', { csr: mk('rsa1024', ['rsa:1024']), profile: 'device', subject: { commonName: 'x' }, ttlSeconds: 3600 }, 'BAD_CSR', /RSA-1024 key is not allowed/],
      ['Ed25519 for a server', { csr: mk('ed', ['ed25519']), profile: 'server', subject: { commonName: 'gw', dnsNames: ['gw.test'] }, ttlSeconds: 3600 }, 'BAD_CSR', /Ed25519 key is not allowed/],
      ['TTL above the profile', { csr, profile: 'device', subject: { commonName: 'x' }, ttlSeconds: 31 * 86400 }, 'BAD_REQUEST', /ttlSeconds must be/],
      ['TTL below the profile', { csr, profile: 'operator', subject: { commonName: 'x' }, ttlSeconds: 60 }, 'BAD_REQUEST', /ttlSeconds must be/],
      ['unknown profile', { csr, profile: 'root' as never, subject: { commonName: 'x' }, ttlSeconds: 3600 }, 'BAD_REQUEST', /unknown profile/],
      ['not a CSR', { csr: Buffer.from('nope').toString('base64'), profile: 'device', subject: { commonName: 'x' }, ttlSeconds: 3600 }, 'BAD_CSR', /PKCS#10/],
    ];
    for (const [name, req, code, message] of bad) {
      const err = await rpc.request<CaIssueRequest, IssuedCertificate>(Subjects.ca.issue, req).then(() => undefined, (e: { code: string; message: string }) => e);
      expect({ name, code: err?.code, ok: message.test(err?.message ?? '') }).toEqual({ name, code, ok: true });
    }

    // CRL numbers: after each revocation both instances regenerate at once (each hears of it);
    // a number is never taken twice, so it never names two different CRLs. Between revocations
    // the instances serve what they generated: asking again does not spend numbers.
    const issuerId = issued[0].issuerId;
    const ask = () => Promise.all(Array.from({ length: 8 }, () => rpc.request<CrlRequest, CrlReply>(Subjects.ca.crl, { issuerId })));
    const crls = await ask();
    for (const c of issued.slice(0, 5)) {
      expect(idctlRun('revoke', '--serial', c.serial, '--reason', 'superseded').code).toBe(0);
      const serial = c.serial.replace(/^0+/, '');
      let seen = await ask();
      for (let i = 0; i < 100 && !seen.every((r) => crlSerials(r.crl).has(serial)); i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await ask();
      }
      expect(seen.map((r) => crlSerials(r.crl).has(serial))).toEqual(Array(8).fill(true));
      crls.push(...seen);
    }
    const byNumber = new Map<number, Set<string>>();
    for (const c of crls) byNumber.set(c.crlNumber, (byNumber.get(c.crlNumber) ?? new Set()).add(c.crl));
    expect([...byNumber.entries()].filter(([, pems]) => pems.size > 1).map(([n]) => n)).toEqual([]);
    expect(byNumber.size).toBeGreaterThanOrEqual(6);
    const numbers = [...byNumber.keys()];
    // The second instance's HTTP side serves CRLs too (one of those numbers, or a later one).
    const crlFile = f('second.crl');
    expect(run('curl', ['-s', '-f', '-o', crlFile, `http://127.0.0.1:${port}/crl/${issuerId}.crl`]).code).toBe(0);
    const text = run('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text']).stdout;
    expect(Number(/CRL Number:\s*\n\s*(\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(Math.min(...numbers));
    expect(out).not.toMatch(/"level":"error"/);
  });
});

/** The serials a PEM CRL lists (lower-case hex, as the CA names them), read by openssl. */
function crlSerials(pem: string): Set<string> {
  const text = run('openssl', ['crl', '-noout', '-text'], { input: pem }).stdout;
  return new Set([...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1].toLowerCase().replace(/^0+/, '')));
}
