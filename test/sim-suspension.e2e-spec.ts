import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgent, RunningAgent } from '@iis/revocation-client';
import { OpensslDevice } from './support/device';
import { databaseEnv, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * A suspended SIM: its certificates go on certificateHold and come back on resume (RFC 5280
 * 5.3.1). Real: the suite under its launcher (onboarding, policy, CA with OCSP and CRL,
 * revocation service, operator API, SQLite and PostgreSQL where reachable, nats-server), openssl and curl as the device and
 * as the OCSP client, `idctl` as the security team, the gateway agent (runAgent, in process).
 */
jest.setTimeout(180_000);

const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const ICCID = '89441000303122845298';
let suite: RunningSuite;
let work: string;
let agent: RunningAgent | undefined;

const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });

/** GET on the operator API with the suite's security-admin token; the body as text. */
async function api(route: string): Promise<string> {
  const res = await fetch(`${suite.apiUrl}${route}`, { headers: { authorization: `Bearer ${suite.token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function until<T>(get: () => T, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last seen: ${String(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const chain = () => path.join(work, 'chain.pem');
const issuer = () => path.join(work, 'issuing.pem');

/** Registers a device on a SIM and enrolls it with openssl; its serial and an OCSP query for its certificate. */
function enrolled(serialNumber: string, iccid: string, imsi: string, imei: string) {
  const added = JSON.parse(idctlRun('device', 'add', '--serial', serialNumber, '--iccid', iccid, '--imsi', imsi, '--imei', imei, '--json').stdout);
  const dev = new OpensslDevice(work, serialNumber.toLowerCase());
  const res = dev.enroll(suite.estUrl, chain(), serialNumber, added.secret.secret);
  expect(res.status).toBe(200);
  const cert = dev.certificateFromResponse(res.bodyFile);
  const serial = /serial=([0-9A-F]+)/.exec(run('openssl', ['x509', '-in', cert, '-noout', '-serial']).stdout)![1].toLowerCase();
  const ocsp = () => run('openssl', ['ocsp', '-issuer', issuer(), '-cert', cert, '-url', `${suite.caUrl}/ocsp`, '-CAfile', chain(), '-no_nonce']).stdout;
  return { dev, serial, ocsp };
}

describe.each(databasesUnderTest())('suspend and resume a SIM (%s)', (db) => {
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const database = await databaseEnv(db);
    dropDb = database.drop;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-suspend-'));
    suite = await startSuite(database.env);
    expect(run('curl', ['-s', '-f', '-o', chain(), `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    fs.writeFileSync(issuer(), fs.readFileSync(chain(), 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/)![0]);
  });

  afterAll(async () => {
    await agent?.stop().catch(() => undefined);
    agent = undefined;
    if (suite) await suite.stop();
    if (dropDb) await dropDb();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('ok/suspend holds the certificates everywhere, resume releases them, enrollment follows the SIM', async () => {
    const { dev, serial, ocsp } = enrolled('SN-S', ICCID, '234150999999990', '490154203237518');
    const crlText = () => run('openssl', ['crl', '-in', path.join(work, 'agent', 'crl.pem'), '-noout', '-text']).stdout;

    const logs: string[] = [];
    agent = await runAgent({ natsUrl: suite.natsUrl, dir: path.join(work, 'agent'), name: 'suspension-e2e', log: (l) => logs.push(l) });
    await agent.ready;

    // Suspend: the SIM is suspended, the certificate is on hold at the agent, in its CRL and at the CA's OCSP.
    const suspended = idctlRun('sim', 'suspend', ICCID, '--reason', 'unpaid contract', '--json');
    expect(suspended.code).toBe(0);
    expect(JSON.parse(suspended.stdout)).toMatchObject({ iccid: ICCID, simStatus: 'suspended', alreadySuspended: false, held: [{ serial }] });
    await until(() => agent!.isRevoked(serial), (v) => v, 'the hold to reach the agent');
    expect(await until(ocsp, (o) => o.includes(': revoked'), 'OCSP to say revoked')).toMatch(/Reason: certificateHold/);
    expect(await until(crlText, (t) => t.includes(serial.toUpperCase()), 'the agent CRL to list the serial')).toMatch(/Certificate Hold/);

    // Enrollment through a suspended SIM is refused, even with a fresh secret.
    const fresh = JSON.parse(idctlRun('secret', 'create', 'SN-S', '--json').stdout);
    const refused = dev.enroll(suite.estUrl, chain(), 'SN-S', fresh.secret);
    expect(refused.status).toBe(403);

    // Suspending again changes nothing.
    const again = idctlRun('sim', 'suspend', ICCID, '--reason', 'unpaid contract', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadySuspended: true, held: [] });

    // Resume: the hold is released at the agent, in the CRL and at OCSP; enrollment works again.
    const resumed = idctlRun('sim', 'resume', ICCID, '--reason', 'contract settled', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ iccid: ICCID, simStatus: 'active', released: [{ serial }] });
    await until(() => agent!.isRevoked(serial), (v) => !v, 'the release to reach the agent');
    expect(logs.filter((l) => l.startsWith(`agent: applied release serial=${serial} `))).toHaveLength(1);
    await until(ocsp, (o) => o.includes(': good'), 'OCSP to say good again');
    await until(crlText, (t) => !t.includes(serial.toUpperCase()), 'the agent CRL to drop the serial');
    const afterResume = JSON.parse(idctlRun('secret', 'create', 'SN-S', '--json').stdout);
    expect(dev.enroll(suite.estUrl, chain(), 'SN-S', afterResume.secret).status).toBe(200);

    // The audit trail records who did it.
    const audit = await api('/audit?limit=100');
    expect(audit).toContain('"sim.suspend"');
    expect(audit).toContain('"sim.resume"');
  });

  it('fail/resume of a SIM that is not suspended, unknown ICCIDs: a clear refusal, nothing written', async () => {
    const before = await api('/revocations');
    const notSuspended = idctlRun('sim', 'resume', ICCID);
    expect(notSuspended.code).toBe(1);
    expect(notSuspended.stderr).toMatch(/CONFLICT/);
    const unknownSuspend = idctlRun('sim', 'suspend', '89441000303122849999', '--reason', 'x');
    expect(unknownSuspend.code).toBe(1);
    expect(unknownSuspend.stderr).toMatch(/NOT_FOUND/);
    const unknownResume = idctlRun('sim', 'resume', '89441000303122849999');
    expect(unknownResume.code).toBe(1);
    expect(unknownResume.stderr).toMatch(/NOT_FOUND/);
    expect(await api('/revocations')).toBe(before);
  });

  it('ok/a certificate on hold revoked for good stays revoked after resume', async () => {
    const iccid = '89441000303122845306';
    const { serial, ocsp } = enrolled('SN-T', iccid, '234150999999991', '352099001761481');

    expect(idctlRun('sim', 'suspend', iccid, '--reason', 'investigation').code).toBe(0);
    await until(ocsp, (o) => /Reason: certificateHold/.test(o), 'OCSP to say on hold');
    const revoked = idctlRun('revoke', '--serial', serial, '--reason', 'keyCompromise', '--json');
    expect(revoked.code).toBe(0);
    const revokedReply = JSON.parse(revoked.stdout);
    expect(revokedReply).toMatchObject({ revoked: [{ serial }], alreadyRevoked: [] });
    await until(ocsp, (o) => /Reason: keyCompromise/.test(o), 'OCSP to say keyCompromise');
    await until(() => agent!.stats.lastLogSequence, (n) => n >= revokedReply.revoked[0].sequence, 'the agent to read the revocation');

    const resumed = idctlRun('sim', 'resume', iccid, '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ simStatus: 'active', released: [] });
    expect(agent!.isRevoked(serial)).toBe(true);
    expect(ocsp()).toMatch(/Reason: keyCompromise/);
  });
});
