import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpensslDevice } from './support/device';
import { CurlEst } from './support/est-client';
import { TestNatsServer } from './support/nats-server';
import { eventually, metricValue, opsUrls, readiness } from './support/ops';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * What an operator watches: JSON logs with one correlation id across services, readiness that
 * follows NATS, Prometheus counters that move. Real: the launched suite, a nats-server this test
 * stops and restarts, SQLite, openssl and curl as the device.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe('observability', () => {
  let nats: TestNatsServer;
  let suite: RunningSuite;
  let ops: Record<string, string>;
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-obs-'));
    nats = await TestNatsServer.start();
    suite = await startSuite({ NATS_URL: nats.url, LOG_LEVEL: 'debug' });
    ops = opsUrls(suite.output());
  });

  afterAll(async () => {
    if (suite) await suite.stop();
    if (nats) await nats.stop();
  });

  it('prints a health and metrics listener for every service, each ready', async () => {
    expect(Object.keys(ops).sort()).toEqual(['attestation', 'ca', 'onboarding', 'operator-api', 'policy', 'revocation']);
    for (const url of Object.values(ops)) {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const r = await readiness(url);
      expect(r).toMatchObject({ status: 200, body: { status: 'ready', checks: { nats: 'ok', database: 'ok' } } });
    }
  });

  it('counts an enrollment and carries its request id into the CA log', async () => {
    const caFile = path.join(work, 'ca.pem');
    run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
    const added = JSON.parse(run(process.execPath, [idctl, 'device', 'add', '--serial', 'SN-OBS', '--iccid', '89441000303122845298', '--imsi', '234150999999991', '--imei', '490154203237518', '--json'], { env: suite.idctlEnv }).stdout);
    const device = new OpensslDevice(work, 'sn-obs');
    const issuedBefore = await metricValue(ops.onboarding, 'iis_est_enrollments_total', { outcome: 'issued' });
    const caBefore = await metricValue(ops.ca, 'iis_ca_issuances_total', { outcome: 'ok' });
    const requestId = `e2e-${Date.now()}`;
    const est = new CurlEst(suite.estUrl, caFile, work);
    const res = est.call('simpleenroll', { body: device.csrB64File, user: 'SN-OBS', password: added.secret.secret, extra: ['-H', `x-request-id: ${requestId}`] });
    expect(res.status).toBe(200);
    expect(res.header('x-request-id')).toBe(requestId);

    expect(await metricValue(ops.onboarding, 'iis_est_enrollments_total', { outcome: 'issued' })).toBe(issuedBefore + 1);
    expect(await metricValue(ops.ca, 'iis_ca_issuances_total', { outcome: 'ok' })).toBe(caBefore + 1);
    // One id, two processes: the EST request line in onboarding, the issuance handler in the CA.
    const inService = (service: string) => new RegExp(`^\\[${service}\\]\\s+\\{[^\\n]*"correlationId":"${requestId}"`, 'm');
    await waitFor(() => suite.output(), inService('onboarding'), 10_000, 'an onboarding log line with the request id');
    await waitFor(() => suite.output(), inService('ca'), 10_000, 'a CA log line with the request id');
  });

  it('reports not ready while NATS is down and ready again after it is back', async () => {
    await nats.stop();
    await eventually(async () => (await readiness(ops.policy)).status === 503, 20_000, 'policy not ready without NATS');
    const down = await readiness(ops.policy);
    expect(down.body.checks.nats).not.toBe('ok');
    expect((await fetch(`${ops.policy}/health/live`)).status).toBe(200);
    await nats.restart();
    for (const url of Object.values(ops)) await eventually(async () => (await readiness(url)).status === 200, 30_000, `${url} ready again`);
  });
});
