import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../tools/launcher/src/ports';
import { OpensslDevice } from './support/device';
import { NginxServer, startNginx } from './support/nginx';
import { run } from './support/run';
import { brokerIdentity } from './support/server-identity';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * A revoked device at a real nginx terminating mTLS for HTTP devices. Real: the suite
 * (launcher, own nats-server, SQLite), nginx (Debian package) with `ssl_verify_client on`
 * and `ssl_crl` pointing at the agent's CRL bundle, `idctl agent --nginx-pid-file` reloading it,
 * openssl enrolling the devices and curl as the HTTP device.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe('a revoked device at a real nginx', () => {
  let suite: RunningSuite;
  let nginx: NginxServer | undefined;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-nginx-'));
    suite = await startSuite();
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    await nginx?.stop();
    if (suite) await suite.stop();
  });

  const enroll = (serial: string, iccid: string, imsi: string, imei: string) => {
    const added = JSON.parse(run(process.execPath, [idctl, 'device', 'add', '--serial', serial, '--iccid', iccid, '--imsi', imsi, '--imei', imei, '--json'], { env: suite.idctlEnv }).stdout);
    const device = new OpensslDevice(work, serial.toLowerCase());
    const res = device.enroll(suite.estUrl, path.join(work, 'ca.pem'), serial, added.secret.secret);
    expect(res.status).toBe(200);
    return { cert: device.certificateFromResponse(res.bodyFile), key: device.keyFile, deviceId: added.device.id as string };
  };
  /** The HTTP status nginx answers a device with (000: no HTTP answer at all). */
  const get = (d: { cert: string; key: string }) =>
    run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', path.join(work, 'ca.pem'), '--cert', d.cert, '--key', d.key, `https://localhost:${nginx!.port}/`]).stdout;

  it('the agent keeps a CRL for every CA of the chain; after a revocation nginx refuses the device', async () => {
    const caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    const lost = enroll('SN-N-1', '89441000303122845272', '234150999999901', '490154203237518');
    const other = enroll('SN-N-2', '89441000303122845280', '234150999999902', '352099001761481');

    const agentDir = path.join(work, 'agent');
    const pidFile = path.join(work, 'nginx.pid');
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', agentDir, '--nats', suite.natsUrl, '--name', 'nginx-site', '--nginx-pid-file', pidFile], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    // The root's ARL as well as the issuing CA's CRL: nginx checks each certificate of the chain.
    await waitFor(() => agentOut, /wrote crl issuer=root-/, 30_000, 'the root ARL');
    await waitFor(() => agentOut, /wrote crl issuer=issuing-/, 30_000, 'the issuing CA CRL');
    const crlFile = path.join(agentDir, 'crl.pem');
    await waitFor(() => fs.readFileSync(crlFile, 'utf8'), /(BEGIN X509 CRL[\s\S]*){2}/, 10_000, 'both CRLs in crl.pem');

    // What nginx will do, as openssl: every certificate of the chain checked against a CRL.
    const verify = (cert: string) => run('openssl', ['verify', '-crl_check_all', '-CAfile', caFile, '-CRLfile', crlFile, cert]);
    expect(verify(lost.cert).stdout).toContain(': OK');

    const identity = await brokerIdentity(suite.natsUrl, work);
    nginx = await startNginx({ dir: work, port: await freePort(), caFile, certFile: identity.certFile, keyFile: identity.keyFile, crlFile });
    expect(get(lost)).toBe('200');
    expect(get(other)).toBe('200');
    // A certificate from no CA nginx trusts: refused (nginx answers 400 to a failed client certificate).
    const stranger = path.join(work, 'stranger');
    run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${stranger}.key`, '-out', `${stranger}.pem`, '-subj', '/CN=SN-N-1', '-days', '1']);
    expect(get({ cert: `${stranger}.pem`, key: `${stranger}.key` })).toBe('400');

    const revoked = run(process.execPath, [idctl, 'revoke', '--device', lost.deviceId, '--reason', 'keyCompromise', '--json'], { env: suite.idctlEnv });
    expect(revoked.code).toBe(0);
    await waitFor(() => agentOut, /nginx reloaded crl \(SIGHUP pid=\d+\)/, 15_000, 'the nginx reload');
    expect(verify(lost.cert).stdout + verify(lost.cert).stderr).toContain('certificate revoked');

    // nginx reloads in the background (new workers read the new CRL): poll a few seconds.
    let status = get(lost);
    for (let i = 0; i < 50 && status !== '400'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = get(lost);
    }
    expect(status).toBe('400');
    expect(nginx.log()).toMatch(/client SSL certificate verify error: .*certificate revoked/);
    expect(get(other)).toBe('200');
  });
});
