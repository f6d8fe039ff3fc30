import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpensslDevice } from './support/device';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * Revocation by serial and by device, with RFC 5280 reasons, through idctl and the operator
 * API, reaching a gateway agent and the CA's CRL. Real: the suite, its nats-server, openssl
 * and curl as the device, idctl, `idctl agent`.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');


describe('revoke by serial and by device', () => {
  let suite: RunningSuite;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-revoke-'));
    suite = await startSuite();
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    if (suite) await suite.stop();
  });

  it('revokes exactly what it is told, once, and says what was already revoked', async () => {
    const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
    const caFile = path.join(work, 'ca.pem');
    run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
    const added = JSON.parse(idctlRun('device', 'add', '--serial', 'SN-7', '--iccid', '89441000303122845215', '--imsi', '234150999999999', '--imei', '490154203237518', '--json').stdout);
    const dev = new OpensslDevice(work, 'sn-7');
    const serialOf = (secret: string) => {
      const res = dev.enroll(suite.estUrl, caFile, 'SN-7', secret);
      expect(res.status).toBe(200);
      const pem = dev.certificateFromResponse(res.bodyFile);
      return /serial=([0-9A-F]+)/.exec(run('openssl', ['x509', '-in', pem, '-noout', '-serial']).stdout)![1].toLowerCase();
    };
    const first = serialOf(added.secret.secret);
    const second = serialOf(JSON.parse(idctlRun('secret', 'create', 'SN-7', '--json').stdout).secret);

    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(work, 'agent'), '--nats', suite.natsUrl, '--name', 'revoke-site'], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'agent start');

    const bySerial = idctlRun('revoke', '--serial', first.toUpperCase(), '--reason', 'keyCompromise', '--comment', 'key found on a forum', '--json');
    expect(bySerial.stderr).toBe('');
    expect(JSON.parse(bySerial.stdout)).toMatchObject({ revoked: [{ serial: first }], alreadyRevoked: [] });
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${first}`), 10_000, 'the agent applying the first revocation');

    const repeated = idctlRun('revoke', '--serial', first, '--reason', 'keyCompromise', '--json');
    expect(repeated.code).toBe(0);
    expect(JSON.parse(repeated.stdout)).toEqual({ revoked: [], alreadyRevoked: [first] });

    const byDevice = JSON.parse(idctlRun('revoke', '--device', added.device.id, '--reason', 'cessationOfOperation', '--json').stdout);
    expect(byDevice).toMatchObject({ revoked: [{ serial: second }], alreadyRevoked: [first] });
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${second}`), 10_000, 'the agent applying the second revocation');
    expect(agentOut.match(new RegExp(`applied revocation serial=${first}`, 'g'))).toHaveLength(1);

    // The CA's CRL carries both, each with its reason.
    const crlDer = path.join(work, 'issuing.crl');
    const issuer = JSON.parse(bySerial.stdout).revoked[0].issuerId;
    await waitFor(
      () => (run('curl', ['-s', '-o', crlDer, `${suite.caUrl}/crl/${issuer}.crl`]), run('openssl', ['crl', '-inform', 'DER', '-in', crlDer, '-noout', '-text']).stdout),
      new RegExp(second.toUpperCase()),
      10_000,
      'the CA CRL listing the second serial',
    );
    const crlText = run('openssl', ['crl', '-inform', 'DER', '-in', crlDer, '-noout', '-text']).stdout;

    // The agent reports what it applied: `idctl revocations status` shows it caught up.
    let status: { streamLastSequence: number; agents: { name: string; lag: number; stale: boolean; lastStreamSequence: number }[] } = { streamLastSequence: 0, agents: [] };
    await waitFor(
      () => ((status = JSON.parse(idctlRun('revocations', 'status', '--json').stdout)), JSON.stringify(status)),
      /"lag":0/,
      15_000,
      'the agent reporting lag 0',
    );
    expect(status.streamLastSequence).toBe(2);
    expect(status.agents).toEqual([expect.objectContaining({ name: 'revoke-site', lastStreamSequence: 2, lag: 0, stale: false })]);
    expect(idctlRun('revocations', 'status').stdout).toMatch(/agent revoke-site\s+applied=2\s+lag=0.*up to date/);
    // `idctl status` counts the same agents by the same heartbeats.
    expect(idctlRun('status').stdout).toMatch(/^stream  revocation-events=2$/m);
    expect(idctlRun('status').stdout).toMatch(/^agent   revoke-site  applied=2  lag=0  up to date$/m);
    expect(crlText).toContain(first.toUpperCase());
    expect(crlText).toContain('Key Compromise');
    expect(crlText).toContain('Cessation Of Operation');

    // The log through the operator API, either way round: newest first pages on with `before`.
    const page = async (q: string) => {
      const res = await fetch(`${suite.apiUrl}/revocations?${q}`, { headers: { authorization: `Bearer ${suite.token}` } });
      return { status: res.status, body: await res.json() };
    };
    const oldest = await page('limit=1');
    expect(oldest.body).toMatchObject({ revocations: [{ sequence: 1, serial: first }], nextCursor: 1 });
    const newest = await page('order=newest&limit=1');
    expect(newest.body).toMatchObject({ revocations: [{ sequence: 2, serial: second }], nextCursor: 2 });
    expect((await page(`order=newest&limit=1&before=${newest.body.nextCursor}`)).body).toEqual({ revocations: [expect.objectContaining({ sequence: 1, serial: first })], nextCursor: null });
    expect((await page('order=newest&since=2000-01-01T00:00:00Z')).body.revocations.map((r: { serial: string }) => r.serial)).toEqual([second, first]);
    for (const bad of ['order=sideways', 'order=newest&before=-1', 'before=x']) {
      const r = await page(bad);
      expect([bad, r.status, r.body.error.code]).toEqual([bad, 400, 'BAD_REQUEST']);
    }
  });

  it.each([
    ['fail/unknown serial', { serial: 'abcdef0123', reason: 'keyCompromise' }, 404, 'NOT_FOUND'],
    ['fail/two targets', { serial: 'abcdef', iccid: '89441000303122845215', reason: 'keyCompromise' }, 400, 'BAD_REQUEST'],
    ['fail/no target', { reason: 'keyCompromise' }, 400, 'BAD_REQUEST'],
    ['fail/unknown reason', { serial: 'abcdef', reason: 'because' }, 400, 'BAD_REQUEST'],
    ['fail/hold is not this command', { serial: 'abcdef', reason: 'certificateHold' }, 400, 'BAD_REQUEST'],
    ['fail/injection in the serial', { serial: "1' OR '1'='1", reason: 'keyCompromise' }, 400, 'BAD_REQUEST'],
    ['fail/unknown field', { serial: 'abcdef', reason: 'keyCompromise', everything: true }, 400, 'BAD_REQUEST'],
  ])('%s', async (_n, body, status, code) => {
    const post = () =>
      fetch(`${suite.apiUrl}/revocations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${suite.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A kept-alive connection the server just closed fails before the request is sent: once more.
    const res = await post().catch(() => post());
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });

  it('fail/unknown serial through idctl: exit 1 and the code', () => {
    const r = run(process.execPath, [idctl, 'revoke', '--serial', '0badc0de', '--reason', 'superseded'], { env: suite.idctlEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT_FOUND');
  });
});
