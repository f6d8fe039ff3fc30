import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../tools/launcher/src/ports';
import { OpensslDevice } from './support/device';
import { databaseEnv, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * The walking skeleton, end to end, as its users would do it. Real: the launcher that
 * `npm start` runs, its own nats-server with JetStream, the five services and the operator
 * API as separate processes, SQLite files (and PostgreSQL where reachable), HTTPS, and
 * openssl + curl as the device, idctl as the security team, `idctl agent` as the gateway.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const ICCID = '89441000303122845215';
const IMSI = '234150999999999';
const IMEI = '490154203237518';



describe.each(databasesUnderTest())('enroll, report the SIM lost, revoke (%s)', (db) => {
  let suite: RunningSuite;
  let dropDb: (() => Promise<void>) | undefined;
  let work: string;
  let caFile: string;
  let agent: ChildProcess | undefined;
  let agentOut = '';

  beforeAll(async () => {
    const database = await databaseEnv(db);
    dropDb = database.drop;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-device-'));
    suite = await startSuite(database.env);
    caFile = path.join(work, 'ca.pem');
    const r = run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
    expect(r.code).toBe(0);
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });

  it('runs the whole path', async () => {
    // 1. The operator registers the device bound to its SIM and gets a one-time secret.
    const added = idctlRun('device', 'add', '--serial', 'SN-0001', '--iccid', ICCID, '--imsi', IMSI, '--imei', IMEI, '--json');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const { device, secret } = JSON.parse(added.stdout);
    expect(device.sim.iccid).toBe(ICCID);
    expect(secret.secret.length).toBeGreaterThanOrEqual(40);

    // 2. The device enrolls with openssl + curl over HTTPS, verifying the server with the CA chain.
    const dev = new OpensslDevice(work, 'sn-0001');
    const res = dev.enroll(suite.estUrl, caFile, 'SN-0001', secret.secret);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/pkcs7-mime; smime-type=certs-only');
    const certFile = dev.certificateFromResponse(res.bodyFile);
    expect(run('openssl', ['verify', '-CAfile', caFile, certFile]).stdout).toContain(': OK');
    const text = run('openssl', ['x509', '-in', certFile, '-noout', '-text', '-serial', '-dates']).stdout;
    expect(text).toContain(`URI:spiffe://iis.local/device/${device.id}`);
    expect(text).toMatch(/Subject: .*CN ?= ?SN-0001/);
    expect(text).not.toContain('as-it-likes');
    const notBefore = new Date(/notBefore=(.+)/.exec(text)![1]).getTime();
    const notAfter = new Date(/notAfter=(.+)/.exec(text)![1]).getTime();
    expect(Math.round((notAfter - notBefore) / 60_000)).toBe(24 * 60 + 1); // 24 h plus the 1 min backdating
    const serial = /serial=([0-9A-F]+)/.exec(text)![1].toLowerCase();
    // The device's public key is the one it made.
    const pubFromCert = run('openssl', ['x509', '-in', certFile, '-noout', '-pubkey']).stdout;
    const pubFromKey = run('openssl', ['pkey', '-in', dev.keyFile, '-pubout']).stdout;
    expect(pubFromCert).toBe(pubFromKey);

    // cacerts works too, without authentication.
    const cacerts = run('curl', ['-s', '--cacert', caFile, '-o', path.join(work, 'cacerts.b64'), '-w', '%{http_code}', `${suite.estUrl}/cacerts`]);
    expect(cacerts.stdout).toBe('200');
    const caDer = path.join(work, 'cacerts.der');
    run('openssl', ['base64', '-d', '-in', path.join(work, 'cacerts.b64'), '-out', caDer]);
    expect(run('openssl', ['pkcs7', '-inform', 'DER', '-in', caDer, '-print_certs', '-noout']).stdout).toContain('Root CA');

    // The one-time secret does not work twice.
    expect(dev.enroll(suite.estUrl, caFile, 'SN-0001', secret.secret).status).toBe(401);

    // 3. A gateway agent follows the revocation stream.
    const agentDir = path.join(work, 'agent');
    const agentPort = await freePort();
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', agentDir, '--nats', suite.natsUrl, '--name', 'e2e-gateway', '--http-port', String(agentPort)], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'agent start');
    expect(fs.existsSync(path.join(agentDir, 'ca-chain.pem'))).toBe(true);
    // Its loopback endpoints: ready once following, metrics a scraper on the gateway can read.
    const agentUrl = `http://127.0.0.1:${agentPort}`;
    let readiness = 0;
    for (let i = 0; i < 100 && readiness !== 200; i++) {
      readiness = (await fetch(`${agentUrl}/health/ready`)).status;
      if (readiness !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(readiness).toBe(200);
    const metricsBefore = await (await fetch(`${agentUrl}/metrics`)).text();
    expect(metricsBefore).toMatch(/^iis_agent_nats_connected 1$/m);
    const appliedBefore = Number(/^iis_agent_revocations_applied_total (\d+)$/m.exec(metricsBefore)![1]);

    // 4. The security team reports the SIM lost.
    const lost = idctlRun('sim', 'report-lost', ICCID, '--reason', 'stolen from site 7', '--json');
    expect(lost.stderr).toBe('');
    expect(lost.code).toBe(0);
    const report = JSON.parse(lost.stdout);
    expect(report.simStatus).toBe('lost');
    expect(report.revoked.map((r: { serial: string }) => r.serial)).toEqual([serial]);

    // The agent applies it and writes a CRL that openssl enforces.
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${serial}`), 10_000, 'revocation at the agent');
    await waitFor(() => agentOut, /wrote crl issuer=\S+ entries=1/, 10_000, 'CRL written by the agent');
    expect(await (await fetch(`${agentUrl}/metrics`)).text()).toMatch(new RegExp(`^iis_agent_revocations_applied_total ${appliedBefore + 1}$`, 'm'));
    expect(await (await fetch(`${agentUrl}/revoked/${serial}`)).json()).toEqual({ serial, revoked: true });
    // The log line names the issuer's own file; crl.pem, the bundle brokers read, is rebuilt
    // from those files right after it, so wait for the bundle itself (as revocation-faults does).
    const crlFile = path.join(agentDir, 'crl.pem');
    await waitFor(() => run('openssl', ['crl', '-in', crlFile, '-noout', '-text']).stdout, new RegExp(serial.toUpperCase()), 10_000, 'crl.pem listing the serial');
    const verify = run('openssl', ['verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crlFile, certFile]);
    expect(verify.code).not.toBe(0);
    expect(verify.stdout + verify.stderr).toContain('certificate revoked');

    // The CA's own CRL says the same.
    const certs = JSON.parse(idctlRun('cert', 'list', '--iccid', ICCID, '--json').stdout);
    expect(certs.certificates[0].revokedAt).not.toBeNull();
    // The security team finds the same certificates by the device's serial.
    expect(JSON.parse(idctlRun('cert', 'list', '--device', 'SN-0001', '--json').stdout).certificates).toEqual(certs.certificates);

    // Reporting again changes nothing and says so.
    const again = JSON.parse(idctlRun('sim', 'report-lost', ICCID, '--reason', 'again', '--json').stdout);
    expect(again.alreadyLost).toBe(true);
    expect(again.revoked).toEqual([]);

    // 5. A new enrollment through that SIM is refused, even with a fresh secret.
    const fresh = JSON.parse(idctlRun('secret', 'create', 'SN-0001', '--json').stdout);
    const refused = dev.enroll(suite.estUrl, caFile, 'SN-0001', fresh.secret);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('POLICY_DENIED');
    expect(refused.body).toContain('SIM is lost');

    // An unknown ICCID: a clear error and a non-zero exit code.
    const unknown = idctlRun('sim', 'report-lost', '89441000303122845223', '--reason', 'x');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
  });

  it('answers bad EST input with the right 4xx and a reason', async () => {
    const added = JSON.parse(idctlRun('device', 'add', '--serial', 'SN-0002', '--iccid', '89441000303122845223', '--imsi', IMSI, '--imei', '352099001761481', '--json').stdout);
    const secret = added.secret.secret as string;
    const dev = new OpensslDevice(work, 'sn-0002');
    const notBase64 = path.join(work, 'not-base64.txt');
    fs.writeFileSync(notBase64, 'this is not base64 at all!');
    const notCsr = path.join(work, 'not-csr.b64');
    fs.writeFileSync(notCsr, Buffer.from('definitely not DER').toString('base64'));
    const badSig = path.join(work, 'bad-sig.b64');
    const der = Buffer.from(fs.readFileSync(dev.csrB64File, 'utf8').replace(/\s/g, ''), 'base64');
    der[der.length - 3] ^= 0x01;
    fs.writeFileSync(badSig, der.toString('base64'));

    const cases: [string, ReturnType<OpensslDevice['enroll']>, number, string][] = [
      ['no auth', dev.enroll(suite.estUrl, caFile, null, null), 401, 'UNAUTHORIZED'],
      ['wrong secret', dev.enroll(suite.estUrl, caFile, 'SN-0002', 'wrong'), 401, 'UNAUTHORIZED'],
      ['unknown device', dev.enroll(suite.estUrl, caFile, 'SN-9999', secret), 401, 'UNAUTHORIZED'],
      ['not base64', dev.enroll(suite.estUrl, caFile, 'SN-0002', secret, { body: notBase64 }), 400, 'BAD_CSR'],
      ['not a CSR', dev.enroll(suite.estUrl, caFile, 'SN-0002', secret, { body: notCsr }), 400, 'BAD_CSR'],
      ['bad signature', dev.enroll(suite.estUrl, caFile, 'SN-0002', secret, { body: badSig }), 400, 'BAD_CSR'],
      ['wrong content type', dev.enroll(suite.estUrl, caFile, 'SN-0002', secret, { contentType: 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [name, res, status, code] of cases) {
      expect({ name, status: res.status, code: JSON.parse(res.body).error.code }).toEqual({ name, status, code });
    }
    // None of the refused requests spent the secret: the device can still enroll with it.
    expect(dev.enroll(suite.estUrl, caFile, 'SN-0002', secret).status).toBe(200);
    expect(suite.output()).not.toMatch(/internal error|"level":"error"[^\n]*"context":"http"/);
  });
});

