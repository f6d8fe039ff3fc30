import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Subjects } from '../libs/contracts/src';
import { connectNats } from '../libs/messaging/src/nats-connection';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { runAgent, RunningAgent } from '@iis/revocation-client';
import { RunningCluster, startCluster } from './support/cluster';
import { LeafSite, startLeafSite } from './support/leaf-site';
import { LinkProxy } from './support/link-proxy';
import { opensslCsrBase64 } from './support/node-process';
import { createTestDatabase, postgresReachable } from './support/postgres';

/**
 * A gateway site cut off from the cluster and reconnected. Real: `npm run cluster` as built
 * (three nats-server nodes with JetStream replicas 3 and a TLS leaf-node listener each,
 * PostgreSQL, two instances of every service); the site's own nats-server running the committed
 * deploy/cluster/nats/leaf-site.conf (only its port and CA path replaced), logged in to the
 * cluster as the `agent` user over TLS; the gateway agent (runAgent, in this process) connected
 * to the site's nats-server only. The link between site and cluster is TCP forwarders on
 * loopback that the test drops and brings back (LinkProxy): nothing of NATS is stood in for.
 */
jest.setTimeout(300_000);

describe('a gateway site behind a leaf node', () => {
  let cluster: RunningCluster;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let link: LinkProxy;
  let site: LeafSite;
  const agents: RunningAgent[] = [];
  let csr: string;

  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error('this test needs PostgreSQL for the cluster (set TEST_POSTGRES_URL)');
    database = await createTestDatabase();
    cluster = await startCluster(database.url);
    const url = cluster.natsUrlAs('operator-api', 1);
    nc = await connectNats(url, 'leaf-site-e2e', { tls: { caFile: cluster.natsCaFile }, reconnectTimeWait: 200 });
    rpc = new RpcClient(nc, 10_000);
    csr = opensslCsrBase64();
    link = await LinkProxy.start(cluster.leafPorts);
    const hubUrls = link.ports.map((p) => `tls://site:${cluster.natsPassword('site')}@127.0.0.1:${p}`);
    site = await startLeafSite(fs.mkdtempSync(path.join(cluster.dataDir, 'site-')), hubUrls, cluster.natsCaFile);
  });

  afterAll(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    await site?.stop();
    await link?.cut();
    await nc?.close();
    await cluster?.stop();
    await database?.drop();
  });

  /** Leaf connections the cluster holds right now, from every node's /leafz. */
  async function leafConnections(): Promise<number> {
    const counts = await Promise.all(cluster.nodes.map(async (n) => ((await (await fetch(`${n.monitorUrl}/leafz`)).json()) as { leafnodes: number }).leafnodes));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Polls; on giving up, says what the agents logged. */
  const agentLogs: string[] = [];
  async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; the agents logged:\n${agentLogs.slice(-40).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function within<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}; the agents logged:\n${agentLogs.slice(-40).join('\n')}`)), ms)));
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  const issue = async (cn: string) => (await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr, profile: 'device', subject: { commonName: cn }, ttlSeconds: 3600 })).serial.toLowerCase();
  const revoke = async (serial: string) => {
    const reply = await rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial }, reason: 'keyCompromise', actor: 'leaf-e2e' });
    expect(reply.revoked).toHaveLength(1);
    return reply.revoked[0].sequence;
  };

  async function startAgent(logs: string[]): Promise<RunningAgent> {
    const agent = await runAgent({ natsUrl: site.url, dir: path.join(cluster.dataDir, 'site-agent'), name: 'site-e2e', log: (l) => (logs.push(l), agentLogs.push(l)) });
    agents.push(agent);
    return agent;
  }
  const applied = (logs: string[], serial: string) => logs.filter((l) => l.startsWith(`agent: applied revocation serial=${serial} `)).length;

  it('ok/cut off while revocations are made, the agent enforces what it holds (from disk after a restart) and catches up from the stream, each once', async () => {
    await until(async () => (await leafConnections()) === 1, 'the site to join the cluster over its leaf connection');
    const serials: string[] = [];
    for (let i = 0; i < 6; i++) serials.push(await issue(`site-${i}`));

    const firstLogs: string[] = [];
    const first = await startAgent(firstLogs);
    await within(first.ready, 'the agent to follow the stream through the leaf node');
    const firstSequence = await revoke(serials[0]);
    await until(() => first.isRevoked(serials[0]), 'the first revocation to reach the agent through the leaf node');

    // The link goes down, and the site's nats-server restarts during the outage (as a site losing
    // power would). The restart matters on loopback: nats-server 2.9 tells a leaf node the address
    // of the node it joined (INFO leafnode_urls, even with no_advertise), so a leaf that stayed up
    // would route around a cut of its configured addresses; restarted, it knows only those.
    await site.stop();
    await link.cut();
    await site.start();
    await until(async () => (await leafConnections()) === 0, 'the cluster to lose the site');
    const sequences: number[] = [];
    for (const s of serials.slice(1)) sequences.push(await revoke(s));
    // Consecutive entries of the revocation log, made while the site could not hear them.
    expect(sequences).toEqual(serials.slice(1).map((_, i) => firstSequence + 1 + i));

    // The agent restarts during the outage: it enforces the revoked set it saved, and has not heard the rest.
    await first.stop();
    expect(await leafConnections()).toBe(0);
    const logs: string[] = [];
    const agent = await startAgent(logs);
    expect(agent.isRevoked(serials[0])).toBe(true);
    expect(agent.stats).toMatchObject({ revokedCount: 1, lastLogSequence: firstSequence });
    await new Promise((r) => setTimeout(r, 1500));
    expect(serials.slice(1).filter((s) => agent.isRevoked(s))).toEqual([]);

    // The link is back: the leaf node reconnects by itself and the agent reads on from the stream.
    await link.restore();
    await until(async () => (await leafConnections()) === 1, 'the site to rejoin the cluster');
    await until(() => serials.every((s) => agent.isRevoked(s)), 'the agent to catch up with every revocation made during the outage');
    await within(agent.ready, 'the agent to follow the stream again');
    // A moment for anything delivered twice to show.
    await new Promise((r) => setTimeout(r, 1000));
    expect(serials.map((s) => [s, applied(logs, s)])).toEqual([[serials[0], 0], ...serials.slice(1).map((s) => [s, 1])]);
    // Caught up from the stream, not from a snapshot: every event once, in sequence.
    expect(agent.stats).toMatchObject({ revokedCount: 6, lastLogSequence: sequences[sequences.length - 1], applied: 5, rejected: 0, resyncs: 0 });
  });
});
