import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Streams, Subjects } from '../libs/contracts/src';
import { connectNats, NATS_RECONNECT_WAIT_MS, natsSeeds } from '../libs/messaging/src/nats-connection';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { RunningCluster, startCluster } from './support/cluster';
import { OpensslDevice } from './support/device';
import { CurlEst } from './support/est-client';
import { run } from './support/run';
import { simFor } from './support/sim';
import { opensslCsrBase64 } from './support/node-process';
import { createTestDatabase, postgresReachable } from './support/postgres';
import { repoRoot } from './support/suite';
import { waitFor } from './support/wait';

/**
 * Faults on the scale-out topology (`npm run cluster`): three nats-server nodes with JetStream
 * replicas 3, PostgreSQL, two instances of each service, each with its own NATS user; a gateway
 * agent logged in as the `agent` user. Real processes are killed with SIGKILL. Needs PostgreSQL
 * (the cluster's system of record); TEST_POSTGRES_URL says where.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe('the local cluster under faults', () => {
  let cluster: RunningCluster;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let csr: string;

  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error('these fault tests need PostgreSQL (set TEST_POSTGRES_URL)');
    database = await createTestDatabase();
    cluster = await startCluster(database.url);
    // The test calls the CA and the revocation service as the operator API does, with its user.
    const url = cluster.natsUrlAs('operator-api', 2);
    nc = await connectNats(url, 'cluster-faults-e2e', { servers: [...natsSeeds(url), ...cluster.nodes.slice(0, 2).map((n) => n.url)], tls: { caFile: cluster.natsCaFile }, reconnectTimeWait: 200 });
    rpc = new RpcClient(nc, 10_000);
    csr = opensslCsrBase64();
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    await nc?.close();
    await cluster?.stop();
    await database?.drop();
  });

  /**
   * A command that met a dying process is repeated, a reconnect wait apart: after a NATS node
   * dies the services take up to that wait to subscribe again through another node, and
   * meanwhile a request finds no responders at once. Both commands here are safe to repeat.
   */
  async function retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        if (attempt >= 10) throw e;
        await new Promise((r) => setTimeout(r, NATS_RECONNECT_WAIT_MS));
      }
    }
  }
  const issue = (cn: string) => retrying(() => rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr, profile: 'device', subject: { commonName: cn }, ttlSeconds: 3600 }));
  const revoke = (serial: string) => retrying(() => rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial }, reason: 'keyCompromise', actor: 'e2e' }));

  it('a CA instance killed mid-load: the other issues on, no serial twice', async () => {
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(`load-a-${i}`)));
    process.kill(cluster.pidOf('ca#1'), 'SIGKILL');
    const second = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(`load-b-${i}`)));
    const serials = [...first, ...second].map((c) => c.serial);
    expect(new Set(serials).size).toBe(40);
    await waitFor(cluster.output, /ca#1 stopped \(SIGKILL\); the other instance carries on/, 10_000, 'the cluster noticing the dead CA');
  });

  /** A device registered through the operator API, with its one-time EST secret and its own key. */
  function registeredDevice(n: number) {
    const serial = `SN-NATSKILL-${n}`;
    const env = { ...process.env, IDCTL_API_URL: cluster.listen('operator-api#2', 'API'), DATA_DIR: cluster.dataDir, IDCTL_TOKEN: '', IDCTL_TOKEN_FILE: '' };
    const sim = simFor(900 + n);
    const r = run(process.execPath, [idctl, 'device', 'add', '--serial', serial, '--iccid', sim.iccid, '--imsi', sim.imsi, '--imei', sim.imei, '--json'], { env });
    if (r.code !== 0) throw new Error(`idctl device add: ${r.stderr}`);
    const added = JSON.parse(r.stdout) as { device: { id: string }; secret: { secret: string } };
    const dir = fs.mkdtempSync(path.join(cluster.dataDir, 'device-'));
    return { serial, id: added.device.id, secret: added.secret.secret, key: new OpensslDevice(dir, serial.toLowerCase()), dir };
  }

  /** simpleenroll until it succeeds: every answer is kept; curl gives up after 30 s, so a hang shows as status 0. */
  async function enrollThroughFaults(device: ReturnType<typeof registeredDevice>, estUrl: string, caFile: string) {
    const est = new CurlEst(estUrl, caFile, device.dir);
    const answers: { status: number; retryAfter?: string; body: string; certificate?: string }[] = [];
    for (let attempt = 1; attempt <= 15; attempt++) {
      const r = await est.callAsync('simpleenroll', { body: device.key.csrB64File, user: device.serial, password: device.secret, extra: ['--max-time', '30'] });
      answers.push({ status: r.status, retryAfter: r.header('retry-after'), body: r.status === 200 ? '' : r.body.slice(0, 300), certificate: r.status === 200 ? device.key.certificateFromResponse(r.file) : undefined });
      if (r.status === 200) break;
      await new Promise((w) => setTimeout(w, 1000));
    }
    return answers;
  }

  const serialOf = (pemFile: string) => run('openssl', ['x509', '-in', pemFile, '-noout', '-serial']).stdout.trim().replace(/^serial=/, '').toLowerCase().replace(/^0+/, '');
  const normalSerial = (s: string) => s.toLowerCase().replace(/:/g, '').replace(/^0+/, '');

  it('a NATS node killed while enrollments and revocations flow: each enrollment answered once (or 503 + Retry-After, then retried), every revocation reaches the agent exactly once', async () => {
    const certs: IssuedCertificate[] = [];
    for (let i = 0; i < 16; i++) certs.push(await issue(`rev-${i}`));
    const caFile = path.join(cluster.dataDir, 'est-trust.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${cluster.listen('ca#2', 'CRL/OCSP')}/ca/chain.pem`]).code).toBe(0);
    const devices = Array.from({ length: 16 }, (_, i) => registeredDevice(i));
    const estUrls = [cluster.listen('onboarding#1', 'EST'), cluster.listen('onboarding#2', 'EST')];
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(cluster.dataDir, 'agent'), '--nats', cluster.natsUrlAs('agent', 0)], { env: { ...process.env, DATA_DIR: cluster.dataDir, NODE_EXTRA_CA_CERTS: cluster.natsCaFile } });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'the agent following revocations');

    for (const c of certs.slice(0, 8)) await revoke(c.serial);
    // Devices start enrolling one after another (both EST instances), so some requests are in flight when the node dies.
    const enrolling = Promise.all(devices.map(async (d, i) => {
      await new Promise((w) => setTimeout(w, i * 40));
      return enrollThroughFaults(d, estUrls[i % 2], caFile);
    }));
    await new Promise((w) => setTimeout(w, 200));
    // The node the agent (and the first seed of every service) is connected to dies.
    process.kill(cluster.nodes[0].pid, 'SIGKILL');
    for (const c of certs.slice(8)) await revoke(c.serial);
    const answers = await enrolling;

    const api = cluster.listen('operator-api#2', 'API');
    const idctlEnv = { ...process.env, IDCTL_API_URL: api, DATA_DIR: cluster.dataDir, IDCTL_TOKEN: '', IDCTL_TOKEN_FILE: '' };
    for (const [i, d] of devices.entries()) {
      const seen = answers[i];
      // Every answer is a certificate or a clear "try again later" (RFC 7030 4.2.3: 503 with Retry-After); never a hang.
      for (const a of seen.filter((x) => x.status !== 200)) expect([d.serial, a.status, a.retryAfter !== undefined, a.body]).toEqual([d.serial, 503, true, a.body]);
      const accepted = seen.filter((a) => a.status === 200);
      expect([d.serial, accepted.length]).toEqual([d.serial, 1]);
      // The CA holds exactly the certificate the device was given, however many tries it took: when
      // the node died after the CA issued but before its answer arrived, the device got a 503 and its
      // retry (same CSR, same secret) carried the same idempotency key, so the CA answered with the
      // certificate it had already issued instead of signing an orphan.
      const listed = run(process.execPath, [idctl, 'cert', 'list', '--device', d.id, '--json'], { env: idctlEnv });
      expect(listed.code).toBe(0);
      const held = (JSON.parse(listed.stdout) as { certificates: { serial: string }[] }).certificates.map((c) => normalSerial(c.serial));
      expect([d.serial, held]).toEqual([d.serial, [serialOf(accepted[0].certificate!)]]);
    }

    try {
      for (const c of certs) await waitFor(() => agentOut, new RegExp(`applied revocation serial=${c.serial}\\b`), 40_000, `revocation ${c.serial} reaching the agent`);
    } catch (e) {
      // Say whether the event is missing from the stream (relay) or only from the agent (consumer).
      const info = await (await jetstreamManager(nc)).streams.info(Streams.revocations.name).then((i) => `stream last_seq=${i.state.last_seq}`, (x: Error) => x.message);
      const relay = cluster.output().split('\n').filter((l) => /outbox relay|"level":"(warn|error)"|^\[cluster\]/.test(l)).slice(-40).join('\n');
      throw new Error(`${(e as Error).message}\n${info}\nrelay and warnings:\n${relay}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of certs) expect([c.serial, agentOut.match(new RegExp(`applied revocation serial=${c.serial}\\b`, 'g'))?.length]).toEqual([c.serial, 1]);
  });
});
