import * as net from 'node:net';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Subjects } from '../libs/contracts/src';
import { connectNats, natsCredentials, natsSeeds } from '../libs/messaging/src/nats-connection';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { RunningCluster, startCluster } from './support/cluster';
import { opensslCsrBase64 } from './support/node-process';
import { createTestDatabase, postgresReachable } from './support/postgres';

/**
 * TLS in `npm run cluster`, as deploy/ describes it. Real: the built cluster script (three
 * nats-server nodes running the committed deploy/cluster/nats/nats-server.conf, certificates it
 * made at start in its data folder, PostgreSQL, two instances of every service), a plaintext
 * NATS client speaking the protocol by hand over a TCP socket, and nats.js over TLS, trusting
 * the cluster's CA or not.
 */
jest.setTimeout(240_000);

/** What a server answers a client that ignores `tls_required` and logs in in plaintext. */
function plaintextLogin(port: number, user: string, pass: string): Promise<{ info: { tls_required?: boolean }; after: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let seen = '';
    s.on('data', (b) => {
      const first = seen === '';
      seen += b.toString('latin1');
      if (first && seen.startsWith('INFO ')) s.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, user, pass, protocol: 1 })}\r\nPING\r\n`);
    });
    s.on('error', () => undefined);
    const timer = setTimeout(() => s.destroy(), 10_000);
    s.once('close', () => {
      clearTimeout(timer);
      const m = /^INFO (\{.*\}) *\r\n/.exec(seen);
      if (!m) return reject(new Error(`no INFO from the server: ${JSON.stringify(seen.slice(0, 200))}`));
      resolve({ info: JSON.parse(m[1]), after: seen.slice(m[0].length) });
    });
  });
}

describe('npm run cluster over TLS', () => {
  let cluster: RunningCluster;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error('this test needs PostgreSQL for the cluster (set TEST_POSTGRES_URL)');
    database = await createTestDatabase();
    cluster = await startCluster(database.url);
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
    await database?.drop();
  });

  it('fail/every node refuses a plaintext client, even with the right password', async () => {
    for (const node of cluster.nodes) {
      const r = await plaintextLogin(Number(new URL(node.url).port), 'operator-api', cluster.natsPassword('operator-api'));
      expect(r.info.tls_required).toBe(true);
      // The server closed the connection without answering the PING.
      expect(r.after).not.toMatch(/PONG|\+OK/);
    }
  });

  it('fail/a TLS client that does not trust the cluster\'s CA stops at the certificate check', async () => {
    const url = cluster.natsUrlAs('operator-api', 0);
    await expect(connect({ servers: natsSeeds(url), ...natsCredentials(url), reconnect: false })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('ok/the services work over TLS: every client connection on every node is TLS, and issue and revoke answer', async () => {
    const url = cluster.natsUrlAs('operator-api', 1);
    nc = await connectNats(url, 'tls-e2e', { tls: { caFile: cluster.natsCaFile } });
    const rpc = new RpcClient(nc, 10_000);
    const issued = await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr: opensslCsrBase64(), profile: 'device', subject: { commonName: 'tls-e2e' }, ttlSeconds: 3600 });
    const revoked = await rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial: issued.serial }, reason: 'keyCompromise', actor: 'tls-e2e' });
    expect(revoked.revoked.map((r) => r.serial.toLowerCase())).toEqual([issued.serial.toLowerCase()]);

    const connections = (
      await Promise.all(cluster.nodes.map(async (n) => ((await (await fetch(`${n.monitorUrl}/connz?auth=true&limit=1024`)).json()) as { connections: { name?: string; authorized_user?: string; tls_version?: string }[] }).connections))
    ).flat();
    // Twelve service instances, each with its NATS connections, and this test's own.
    const users = new Set(connections.map((c) => c.authorized_user));
    expect([...users].sort()).toEqual(['attestation', 'ca', 'onboarding', 'operator-api', 'policy', 'revocation']);
    expect(connections.filter((c) => !c.tls_version).map((c) => c.name)).toEqual([]);
  });
});
