import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Streams, Subjects } from '../libs/contracts/src';
import { natsCredentials, natsSeeds } from '../libs/messaging/src/nats-connection';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { RunningCluster, startCluster } from './support/cluster';
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
    nc = await connect({ servers: [...natsSeeds(url), ...cluster.nodes.slice(0, 2).map((n) => n.url)], ...natsCredentials(url), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
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

  /** A command that met a dying process is repeated; both commands here are safe to repeat. */
  async function retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        if (attempt >= 5) throw e;
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

  it('a NATS node killed while revocations flow: every revocation reaches the agent exactly once', async () => {
    const certs: IssuedCertificate[] = [];
    for (let i = 0; i < 16; i++) certs.push(await issue(`rev-${i}`));
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(cluster.dataDir, 'agent'), '--nats', cluster.natsUrlAs('agent', 0)], { env: { ...process.env, DATA_DIR: cluster.dataDir } });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'the agent following revocations');

    for (const c of certs.slice(0, 8)) await revoke(c.serial);
    // The node the agent (and the first seed of every service) is connected to dies.
    process.kill(cluster.nodes[0].pid, 'SIGKILL');
    for (const c of certs.slice(8)) await revoke(c.serial);

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
