import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpensslDevice } from './support/device';
import { run, runAsync } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * The revocation service dies between committing a revocation (with its outbox row) and
 * publishing it. Real: the suite under its launcher (which restarts a crashed service), its
 * nats-server with JetStream, SQLite, `idctl agent`; the crash is a real process exit at
 * that exact point (IIS_FAULT_INJECTION, once per data folder).
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const ICCID = '89441000303122845215';


describe('revocation service killed between commit and publish', () => {
  let suite: RunningSuite;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-faults-'));
    suite = await startSuite({ IIS_FAULT_INJECTION: 'crash-after-outbox-commit' });
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    if (suite) await suite.stop();
  });

  it('publishes the committed revocation after the restart, once', async () => {
    const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
    const caFile = path.join(work, 'ca.pem');
    run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
    const added = JSON.parse(idctlRun('device', 'add', '--serial', 'SN-F', '--iccid', ICCID, '--imsi', '234150999999999', '--imei', '490154203237518', '--json').stdout);
    const dev = new OpensslDevice(work, 'sn-f');
    const res = dev.enroll(suite.estUrl, caFile, 'SN-F', added.secret.secret);
    expect(res.status).toBe(200);
    const serial = /serial=([0-9A-F]+)/.exec(run('openssl', ['x509', '-in', dev.certificateFromResponse(res.bodyFile), '-noout', '-serial']).stdout)![1].toLowerCase();

    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(work, 'agent'), '--nats', suite.natsUrl], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'agent start');

    // The command commits, then the service dies before it answers or publishes.
    const first = await runAsync(process.execPath, [idctl, 'sim', 'report-lost', ICCID, '--reason', 'stolen'], { env: { ...suite.idctlEnv, IDCTL_TIMEOUT_SECONDS: '5' } });
    expect(first.code).toBe(3); // the API could not get an answer: unavailable, try again
    expect(suite.output()).toContain('fault injection crash-after-outbox-commit');

    // The launcher restarts it; its relay finds the committed outbox row and publishes it.
    await waitFor(() => suite.output(), /revocation restarted/, 30_000, 'the revocation service restarting');
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${serial}`), 15_000, 'the revocation reaching the agent');

    // The operator repeats the command: nothing is revoked twice.
    const again = idctlRun('sim', 'report-lost', ICCID, '--reason', 'stolen', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyLost: true, revoked: [] });
    await new Promise((r) => setTimeout(r, 500));
    expect(agentOut.match(new RegExp(`applied revocation serial=${serial}`, 'g'))).toHaveLength(1);
  });

  it('an agent that was offline catches up from where it stopped, applying nothing twice', async () => {
    const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
    const caFile = path.join(work, 'ca.pem');
    // The gateway goes offline.
    agent!.kill('SIGINT');
    await new Promise((r) => agent!.once('exit', r));
    const before = agentOut;

    // Meanwhile another device is enrolled and revoked.
    const added = JSON.parse(idctlRun('device', 'add', '--serial', 'SN-G', '--iccid', '89441000303122845223', '--imsi', '234150999999998', '--imei', '352099001761481', '--json').stdout);
    const dev = new OpensslDevice(work, 'sn-g');
    const res = dev.enroll(suite.estUrl, caFile, 'SN-G', added.secret.secret);
    expect(res.status).toBe(200);
    const serial = /serial=([0-9A-F]+)/.exec(run('openssl', ['x509', '-in', dev.certificateFromResponse(res.bodyFile), '-noout', '-serial']).stdout)![1].toLowerCase();
    expect(idctlRun('revoke', '--serial', serial, '--reason', 'keyCompromise').code).toBe(0);

    // Back online with the same state folder.
    agentOut = '';
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(work, 'agent'), '--nats', suite.natsUrl], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${serial}`), 30_000, 'the missed revocation reaching the agent');
    expect(agentOut).toMatch(/catching up on stream IIS_REVOCATIONS_V1 from seq=2/);
    expect(agentOut.match(/applied revocation/g)).toHaveLength(1);
    expect(before).not.toContain(serial);
    await waitFor(() => run('openssl', ['crl', '-in', path.join(work, 'agent', 'crl.pem'), '-noout', '-text']).stdout, new RegExp(serial.toUpperCase()), 10_000, 'the CRL file listing it');
  });
});
