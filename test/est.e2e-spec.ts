import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { certFromCertsOnly, CurlEst, enrollWithChannelBinding, makeCsr } from './support/est-client';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { simFor } from './support/sim';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * The EST server (RFC 7030 + RFC 8951) against the running suite, with curl and openssl as
 * the device: every operation, with and without a label, TLS 1.2 and 1.3, each authorizer,
 * the 202 approval flow, proof-of-possession linking, and the bad-input table.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

let counter = 0;

function openssl(...args: string[]): string {
  const r = run('openssl', args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe.each(databasesUnderTest())('EST server (%s)', (db) => {
  let suite: RunningSuite;
  let dropDb: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  let work: string;
  let caFile: string;
  let est: CurlEst;
  let estPort: number;
  const idevid = { cert: '', key: '', unknownCert: '', unknownKey: '' };

  const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });

  /** A registered device with a fresh one-time secret. */
  function newDevice(prefix = 'EST'): { serial: string; secret: string } {
    const serial = `${prefix}-${++counter}`;
    const sim = simFor(counter);
    const r = idctlRun('device', 'add', '--serial', serial, '--iccid', sim.iccid, '--imsi', sim.imsi, '--imei', sim.imei, '--json');
    if (r.code !== 0) throw new Error(r.stderr);
    return { serial, secret: JSON.parse(r.stdout).secret.secret };
  }

  function newSecret(serial: string): string {
    const r = idctlRun('secret', 'create', serial, '--json');
    if (r.code !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout).secret;
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-est-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-e2e-'));
    // A manufacturer's IDevID root, configured before start; and one nobody configured.
    const roots = path.join(dataDir, 'manufacturer-roots');
    fs.mkdirSync(roots);
    for (const [name, dir] of [['acme', roots], ['rogue', work]] as const) {
      const key = path.join(work, `${name}-root.key`);
      const pem = path.join(dir, `${name}-root.pem`);
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', pem, '-days', '30', '-subj', `/O=${name}/CN=${name} IDevID Root`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
      const leafKey = path.join(work, `${name}-idevid.key`);
      const csr = path.join(work, `${name}-idevid.csr`);
      const leaf = path.join(work, `${name}-idevid.pem`);
      openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', leafKey, '-out', csr, '-subj', `/O=${name}/CN=sensor/serialNumber=IDEV-${name}`);
      openssl('x509', '-req', '-in', csr, '-CA', pem, '-CAkey', key, '-CAcreateserial', '-out', leaf, '-days', '10');
      if (name === 'acme') Object.assign(idevid, { cert: leaf, key: leafKey });
      else Object.assign(idevid, { unknownCert: leaf, unknownKey: leafKey });
    }
    const extra: NodeJS.ProcessEnv = { EST_RATE_PER_DEVICE_PER_MINUTE: '15', EST_PENDING_RETRY_AFTER_SECONDS: '7' };
    if (db === 'postgres') {
      const created = await createTestDatabase();
      extra.DATABASE_URL = dbUrl = created.url;
      dropDb = created.drop;
    }
    suite = await startSuite(extra, dataDir);
    estPort = Number(new URL(suite.estUrl).port);
    caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    est = new CurlEst(suite.estUrl, caFile, work);
    expect(idctlRun('est', 'label', 'set', 'factory', '--require-approval', '--key-types', 'P-256').code).toBe(0);
    expect(idctlRun('est', 'label', 'set', 'linked', '--require-pop').code).toBe(0);
  });

  afterAll(async () => {
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  it('cacerts and csrattrs, with and without a label; an unknown label is 404', () => {
    for (const op of ['cacerts', 'factory/cacerts']) {
      const r = est.call(op);
      expect(r.status).toBe(200);
      // RFC 7030 4.1.3: no smime-type parameter on cacerts (4.2.3 adds it to enrollment answers).
      expect(r.header('content-type')).toBe('application/pkcs7-mime');
      expect(r.header('content-transfer-encoding')).toBe('base64');
      expect(openssl('pkcs7', '-inform', 'DER', '-in', writeDer(r.file), '-print_certs', '-noout')).toContain('Root CA');
    }
    const attrs = est.call('linked/csrattrs');
    expect(attrs.status).toBe(200);
    expect(attrs.header('content-type')).toBe('application/csrattrs');
    const parsed = openssl('asn1parse', '-inform', 'DER', '-in', writeDer(attrs.file));
    expect(parsed).toContain('challengePassword');
    expect(parsed).toContain('id-ecPublicKey');
    expect(parsed).toContain('prime256v1');
    expect(openssl('asn1parse', '-inform', 'DER', '-in', writeDer(est.call('csrattrs').file))).not.toContain('challengePassword');
    const unknown = est.call('nope/csrattrs');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('unknown EST label');
    // HEAD reaches the GET operations: the same headers, no body.
    const head = est.call('cacerts', { method: 'HEAD', extra: ['-I'] });
    expect(head.status).toBe(200);
    expect(head.header('content-type')).toBe('application/pkcs7-mime');
    expect(Number(head.header('content-length'))).toBeGreaterThan(0);
    // curl -I writes the headers where the body would go; the certificates (base64 DER, "MII…") are not there.
    expect(head.body).toMatch(/^HTTP\/1\.1 200/);
    expect(head.body).not.toContain('MII');
    expect(head.header('x-powered-by')).toBeUndefined();
    // A path that names no EST operation is the Nest application's 404, which says nothing of Express either.
    const other = est.call('a/b/cacerts');
    expect(other.status).toBe(404);
    expect(other.header('x-powered-by')).toBeUndefined();
    const garbled = est.call('%E0%A4%A/cacerts');
    expect(garbled.status).toBe(400);
    expect(garbled.body).toContain('not valid percent-encoding');
  });

  function writeDer(file: string): string {
    fs.writeFileSync(file + '.der', Buffer.from(fs.readFileSync(file, 'utf8'), 'base64'));
    return file + '.der';
  }

  it.each(['1.2', '1.3'] as const)('simpleenroll then simplereenroll over TLS %s, with the current certificate as client certificate', (v) => {
    const d = newDevice();
    const csr = makeCsr(work, `enroll-${v}`);
    const r = est.call('simpleenroll', { user: d.serial, password: d.secret, body: csr.b64, tls: v });
    expect(r.status).toBe(200);
    expect(r.header('content-type')).toBe('application/pkcs7-mime; smime-type=certs-only');
    const cert = certFromCertsOnly(r.file);
    expect(run('openssl', ['verify', '-CAfile', caFile, cert]).stdout).toContain(': OK');
    const subject = openssl('x509', '-in', cert, '-noout', '-subject', '-nameopt', 'compat').replace(/^subject=/, '').trim();

    // Re-enroll with a new key and the same subject: allowed; the new certificate has the new key.
    const rekey = makeCsr(work, `reenroll-${v}`, { subj: subject });
    const re = est.call('simplereenroll', { body: rekey.b64, cert, key: csr.key, tls: v });
    expect(re.status).toBe(200);
    const renewed = certFromCertsOnly(re.file);
    expect(openssl('x509', '-in', renewed, '-noout', '-pubkey')).toBe(openssl('pkey', '-in', rekey.key, '-pubout'));

    // A changed subject is refused.
    const changed = makeCsr(work, `reenroll-changed-${v}`, { subj: '/O=iis.local/CN=someone-else' });
    const bad = est.call('simplereenroll', { body: changed.b64, cert: renewed, key: rekey.key, tls: v });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('re-enroll must keep the subject');

    // Without a client certificate, re-enroll asks for one.
    expect(est.call('simplereenroll', { body: rekey.b64, tls: v }).status).toBe(401);
  });

  it('simplereenroll with a revoked certificate, or one from another CA, is refused', async () => {
    const d = newDevice();
    const sim = simFor(counter);
    const csr = makeCsr(work, 'to-revoke');
    const cert = certFromCertsOnly(est.call('simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 }).file);
    const subject = openssl('x509', '-in', cert, '-noout', '-subject', '-nameopt', 'compat').replace(/^subject=/, '').trim();
    expect(idctlRun('sim', 'report-lost', sim.iccid, '--reason', 'e2e').code).toBe(0);
    const again = makeCsr(work, 'revoked-reenroll', { subj: subject });
    let r = est.call('simplereenroll', { body: again.b64, cert, key: csr.key });
    for (let i = 0; i < 50 && r.status !== 403; i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = est.call('simplereenroll', { body: again.b64, cert, key: csr.key });
    }
    expect(r.status).toBe(403);
    expect(r.body).toContain('revoked');
    const foreign = est.call('simplereenroll', { body: again.b64, cert: idevid.cert, key: idevid.key });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('not issued by this CA');
  });

  it('serverkeygen answers multipart/mixed with the PKCS#8 key and the certificate for it', () => {
    const d = newDevice();
    const csr = makeCsr(work, 'skg');
    const r = est.call('serverkeygen', { user: d.serial, password: d.secret, body: csr.b64 });
    expect(r.status).toBe(200);
    const boundary = /boundary=([^;\s]+)/.exec(r.header('content-type') ?? '')?.[1];
    expect(r.header('content-type')).toMatch(/^multipart\/mixed; boundary=/);
    const parts = r.body.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    const [keyPart, certPart] = parts.map((p) => ({ head: p.slice(0, p.indexOf('\r\n\r\n')), body: p.slice(p.indexOf('\r\n\r\n') + 4).trim() }));
    expect(keyPart.head).toContain('Content-Type: application/pkcs8');
    expect(certPart.head).toContain('Content-Type: application/pkcs7-mime; smime-type=certs-only');
    const keyDer = path.join(work, 'skg.p8.der');
    fs.writeFileSync(keyDer, Buffer.from(keyPart.body, 'base64'));
    const certB64 = path.join(work, 'skg.cert.b64');
    fs.writeFileSync(certB64, certPart.body);
    const cert = certFromCertsOnly(certB64);
    expect(openssl('x509', '-in', cert, '-noout', '-pubkey')).toBe(openssl('pkey', '-inform', 'DER', '-in', keyDer, '-pubout'));
    expect(openssl('x509', '-in', cert, '-noout', '-pubkey')).not.toBe(openssl('pkey', '-in', csr.key, '-pubout'));
  });

  it('a label that requires approval answers 202 with Retry-After; after idctl approves, the retry with the same CSR gets the certificate', () => {
    const d = newDevice();
    const csr = makeCsr(work, 'pending');
    const first = est.call('factory/simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 });
    expect(first.status).toBe(202);
    expect(first.header('retry-after')).toBe('7');
    expect(est.call('factory/simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 }).status).toBe(202);
    const pending = JSON.parse(idctlRun('enrollment', 'pending', '--json').stdout).pending.filter((p: { deviceSerial: string }) => p.deviceSerial === d.serial);
    expect(pending).toHaveLength(1);
    const approved = idctlRun('enrollment', 'approve', pending[0].id);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved');
    const done = est.call('factory/simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 });
    expect(done.status).toBe(200);
    certFromCertsOnly(done.file);
    // The secret is spent now, and the label only takes P-256.
    expect(est.call('factory/simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 }).status).toBe(401);
    const rsa = makeCsr(work, 'factory-rsa', { keyArgs: ['-newkey', 'rsa:2048'] });
    const d2 = newDevice();
    const r = est.call('factory/simpleenroll', { user: d2.serial, password: d2.secret, body: rsa.b64 });
    expect(r.status).toBe(400);
    expect(r.body).toContain('not accepted under this label');
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('proof-of-possession linking over %s: linked CSR accepted, missing or foreign binding refused', async (version) => {
    const d = newDevice();
    const plain = makeCsr(work, `nopop-${version}`);
    const missing = est.call('linked/simpleenroll', { user: d.serial, password: d.secret, body: plain.b64 });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('requires proof-of-possession linking');
    const p = { port: estPort, caFile, dir: work, path: '/.well-known/est/linked/simpleenroll', user: d.serial, password: d.secret, version };
    const tampered = await enrollWithChannelBinding({ ...p, tamper: true });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain('channel binding');
    const ok = await enrollWithChannelBinding(p);
    expect(ok.body).not.toContain('error');
    expect(ok.status).toBe(200);
  });

  it('an IDevID client certificate from a configured manufacturer enrolls without a secret; an unknown manufacturer is 403', () => {
    const serial = 'IDEV-acme';
    const sim = simFor(900);
    expect(idctlRun('device', 'add', '--serial', serial, '--iccid', sim.iccid, '--imsi', sim.imsi, '--imei', sim.imei, '--no-secret').code).toBe(0);
    const csr = makeCsr(work, 'idevid-ldevid');
    const ok = est.call('simpleenroll', { body: csr.b64, cert: idevid.cert, key: idevid.key });
    expect(ok.status).toBe(200);
    expect(openssl('x509', '-in', certFromCertsOnly(ok.file), '-noout', '-subject')).toContain('IDEV-acme');
    const rogue = est.call('simpleenroll', { body: csr.b64, cert: idevid.unknownCert, key: idevid.unknownKey });
    expect(rogue.status).toBe(403);
    expect(rogue.body).toContain('unknown manufacturer');
    const records = JSON.parse(idctlRun('enrollment', 'list', '--serial', serial, '--json').stdout).enrollments;
    expect(records.some((r: { authorizer: string; outcome: string }) => r.authorizer === 'idevid' && r.outcome === 'issued')).toBe(true);
  });

  describe('bad input', () => {
    let d: { serial: string; secret: string };
    beforeAll(() => {
      d = newDevice('BAD');
    });

    const file = (name: string, content: string | Buffer) => {
      const f = path.join(work, name);
      fs.writeFileSync(f, content);
      return f;
    };

    it.each([
      ['truncated base64', () => file('trunc.b64', fs.readFileSync(makeCsr(work, 'trunc').b64, 'utf8').slice(0, 101)), 400, /not base64|not a DER-encoded PKCS#10/],
      ['not base64', () => file('nb64.b64', 'this is not base64 at all!'), 400, 'not base64'],
      ['DER that is not a CSR', () => file('notcsr.b64', fs.readFileSync(caFile, 'utf8').split('-----')[2].trim()), 400, 'not a DER-encoded PKCS#10'],
      ['bad signature', () => {
        const c = makeCsr(work, 'badsig', { subj: '/CN=badsig-aaaaaaaa' });
        const der = fs.readFileSync(c.der);
        const i = der.indexOf(Buffer.from('aaaaaaaa'));
        der.write('bbbbbbbb', i, 'latin1');
        return file('badsig.b64', der.toString('base64'));
      }, 400, 'signature does not verify'],
      ['RSA 1024', () => makeCsr(work, 'rsa1024', { keyArgs: ['-newkey', 'rsa:1024'] }).b64, 400, 'too weak'],
      ['unknown curve', () => makeCsr(work, 'k1', { keyArgs: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'] }).b64, 400, 'not accepted'],
      ['CA:true', () => makeCsr(work, 'catrue', { args: ['-addext', 'basicConstraints=critical,CA:TRUE'] }).b64, 400, 'CA certificate'],
    ] as [string, () => string, number, string | RegExp][])('%s → %d', (_n, body, status, reason) => {
      const r = est.call('simpleenroll', { user: d.serial, password: d.secret, body: body() });
      expect(r.status).toBe(status);
      expect(r.body).toMatch(reason);
    });

    it('a 10 MB body is 413, a wrong method 405, a wrong content type 415', () => {
      const big = file('big.b64', Buffer.alloc(10 * 1024 * 1024, 'A'));
      const r = est.call('simpleenroll', { user: d.serial, password: d.secret, body: big });
      expect(r.status).toBe(413);
      const get = est.call('simpleenroll', { method: 'GET' });
      expect(get.status).toBe(405);
      expect(get.header('allow')).toBe('POST');
      expect(est.call('cacerts', { method: 'DELETE' }).status).toBe(405);
      const csr = makeCsr(work, 'ct');
      const ct = est.call('simpleenroll', { user: d.serial, password: d.secret, body: csr.b64, contentType: 'application/json' });
      expect(ct.status).toBe(415);
      expect(ct.body).toContain('application/pkcs10');
    });

    it('after all that the secret still works once (nothing was spent), then a replay is 401', () => {
      const csr = makeCsr(work, 'after-bad');
      expect(est.call('simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 }).status).toBe(200);
      const replay = est.call('simpleenroll', { user: d.serial, password: d.secret, body: csr.b64 });
      expect(replay.status).toBe(401);
      expect(replay.header('www-authenticate')).toBe('Basic realm="est"');
    });

    it('an expired secret is 401', async () => {
      const e = newDevice('EXP');
      // Age the secret in the database itself: nobody waits a minute in a test.
      if (db === 'postgres') {
        const c = new Client({ connectionString: dbUrl });
        await c.connect();
        await c.query(`UPDATE onboarding_enrollment_secrets SET "expiresAt" = now() - interval '1 hour' WHERE "consumedAt" IS NULL AND "deviceId" = (SELECT id FROM onboarding_devices WHERE serial = $1)`, [e.serial]);
        await c.end();
      } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Database = require('better-sqlite3');
        const sqlite = new Database(path.join(suite.dataDir, 'onboarding.sqlite'));
        sqlite.prepare(`UPDATE onboarding_enrollment_secrets SET expiresAt = '2000-01-01 00:00:00.000' WHERE deviceId = (SELECT id FROM onboarding_devices WHERE serial = ?)`).run(e.serial);
        sqlite.close();
      }
      const r = est.call('simpleenroll', { user: e.serial, password: e.secret, body: makeCsr(work, 'expired').b64 });
      expect(r.status).toBe(401);
      expect(r.body).toContain('expired');
    });

    it('too many attempts for one device are 429 with Retry-After', () => {
      const t = newDevice('RATE');
      const csr = makeCsr(work, 'rate');
      const statuses = Array.from({ length: 17 }, () => est.call('simpleenroll', { user: t.serial, password: 'wrong', body: csr.b64 }));
      expect(statuses.slice(0, 15).map((s) => s.status)).toEqual(Array(15).fill(401));
      expect(statuses[16].status).toBe(429);
      expect(Number(statuses[16].header('retry-after'))).toBeGreaterThan(0);
    });

    it('every attempt left a record with its reason', () => {
      const records = JSON.parse(idctlRun('enrollment', 'list', '--serial', d.serial, '--limit', '50', '--json').stdout).enrollments as { outcome: string; errorCode: string | null; reason: string | null; authorizer: string | null; decisionId: string | null; certificateSerial: string | null }[];
      const refused = records.filter((r) => r.outcome === 'refused');
      expect(refused.map((r) => r.errorCode)).toEqual(expect.arrayContaining(['BAD_CSR', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'UNAUTHORIZED']));
      expect(refused.every((r) => (r.reason ?? '').length > 0)).toBe(true);
      const issued = records.filter((r) => r.outcome === 'issued');
      expect(issued).toHaveLength(1);
      expect(issued[0]).toMatchObject({ authorizer: 'bootstrap-secret', decisionId: expect.any(String), certificateSerial: expect.any(String) });
    });
  });

  it('idctl imports devices from CSV, reports bad rows by line and imports none of them', () => {
    const sims = [simFor(501), simFor(502), simFor(503)];
    const csv = file2('import.csv', [
      'serial,class,manufacturer,firmware,iccid,imsi,imei',
      `IMP-1,meter,Acme,1.0.0,${sims[0].iccid},${sims[0].imsi},${sims[0].imei}`,
      `IMP-2,meter,Acme,1.0.0,${sims[1].iccid.slice(0, -1)}${(Number(sims[1].iccid.slice(-1)) + 1) % 10},${sims[1].imsi},${sims[1].imei}`,
      `IMP-3,meter,Acme,1.0.0,${sims[0].iccid},${sims[2].imsi},${sims[2].imei}`,
      'IMP-4,meter',
      `IMP-5,gateway,Acme,2.0,,,`,
    ].join('\n') + '\n');
    const r = idctlRun('device', 'import', csv);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('imported 2 device(s); 3 row(s) rejected');
    expect(r.stdout).toContain('line 3: ICCID check digit (Luhn) is wrong');
    expect(r.stdout).toContain(`line 4: ICCID ${sims[0].iccid} repeats line 2`);
    expect(r.stdout).toContain('line 5: 2 fields, the header has 7');
    expect(r.stderr).toContain('100%');
    const listed = JSON.parse(idctlRun('device', 'list', '--class', 'meter', '--json').stdout).devices.map((x: { serial: string }) => x.serial);
    expect(listed).toEqual(['IMP-1']);
    expect(idctlRun('device', 'show', 'IMP-2').code).toBe(1);
    expect(idctlRun('device', 'show', 'IMP-3').code).toBe(1);
    const details = JSON.parse(idctlRun('device', 'details', 'IMP-5', '--json').stdout);
    expect(details).toMatchObject({ deviceClass: 'gateway', manufacturer: 'Acme', firmwareVersion: '2.0', status: 'pending', sim: null });
    // A SIM on its own, then bound to the SIM-less device; device status changes.
    const s = simFor(504);
    expect(idctlRun('sim', 'add', '--iccid', s.iccid, '--imsi', s.imsi, '--imei', s.imei, '--device', 'IMP-5').code).toBe(0);
    expect(JSON.parse(idctlRun('sim', 'list', '--json').stdout).sims.some((x: { iccid: string }) => x.iccid === s.iccid)).toBe(true);
    expect(idctlRun('device', 'status', 'IMP-5', 'quarantined').stdout).toContain('quarantined');
    expect(idctlRun('device', 'status', 'IMP-5', 'sideways').code).toBe(1);
  });

  function file2(name: string, content: string): string {
    const f = path.join(work, name);
    fs.writeFileSync(f, content);
    return f;
  }
});
