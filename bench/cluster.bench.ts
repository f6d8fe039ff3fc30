import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Subjects } from '@iis/contracts';
import { natsCredentials, natsSeeds, RpcClient } from '@iis/messaging';
import { createCsr, generateKeyPair } from '@iis/pki';
import { startCluster } from '../test/support/cluster';
import { createTestDatabase, postgresReachable, ADMIN_URL } from '../test/support/postgres';
import { simFor } from '../test/support/sim';
import { startSuite } from '../test/support/suite';
import { AgentPool } from './agent-pool';
import { Benchmark, MEASURED_RUNS, WARMUP_RUNS } from './harness';

/**
 * The same enrollment and revocation figures on the two topologies, both on PostgreSQL (a
 * database of their own on the machine's server, dropped afterwards): the single-instance suite
 * (`npm start`: one nats-server, one process per service) and the local cluster (`npm run
 * cluster`: three nats-server nodes with JetStream replicas 3, two instances of every service,
 * per-service NATS users). EST simpleenroll at 64 clients with connections kept alive, spread over
 * both EST instances in the cluster; revocation reach: revoke command over NATS → every one of
 * 100 agents (bench/agent-pool.ts, this process) applied it. On a 2-core machine a second
 * instance cannot add CPU for CPU-bound work: the ratio shows what the cluster costs (replication,
 * routes, more processes), not how it scales on more cores.
 */
const CLIENTS = 64;
const ENROLLMENTS_PER_RUN = 256;
const REVOCATIONS_PER_RUN = 20;
const AGENTS = 100;
const RUNS = WARMUP_RUNS + MEASURED_RUNS;

type Kind = 'single' | 'cluster';

interface Topology {
  estUrls: string[];
  caPem: string;
  secrets: { serial: string; secret: string }[];
  commands: NatsConnection;
  agents: AgentPool;
  stop(): Promise<void>;
}

interface Figures {
  enrollPerSecond: number[];
  enrollP99: number[];
  reachP50: number[];
  reachP99: number[];
}

async function importDevices(apiUrl: string, token: string, count: number): Promise<{ serial: string; secret: string }[]> {
  const secrets: { serial: string; secret: string }[] = [];
  for (let start = 0; start < count; start += 400) {
    const rows = Array.from({ length: Math.min(400, count - start) }, (_v, k) => ({ line: start + k + 2, serial: `CLUSTER-BENCH-${start + k}`, ...simFor(start + k) }));
    const res = await fetch(`${apiUrl}/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ rows, withSecrets: true }) });
    const reply = (await res.json()) as { secrets?: { serial: string; secret: string }[] };
    if (!res.ok || !reply.secrets) throw new Error(`device import failed: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
    secrets.push(...reply.secrets);
  }
  return secrets;
}

const pemToDer = (pem: string) => [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));

async function startTopology(kind: Kind): Promise<Topology> {
  const database = await createTestDatabase();
  // One address makes all the enrollments: no per-address limit.
  const env = { EST_RATE_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  let apiUrl: string, token: string, caUrl: string, estUrls: string[], commandUrl: string, agentUrl: (i: number) => string, stopIt: () => Promise<unknown>, dataDir: string;
  /** The cluster's NATS speaks TLS only, with a CA of its own. */
  let natsTls: { caFile: string } | undefined;
  if (kind === 'single') {
    const s = await startSuite({ ...env, DATABASE_URL: database.url });
    ({ apiUrl, token, caUrl, dataDir } = { ...s, caUrl: s.caUrl });
    estUrls = [s.estUrl];
    commandUrl = s.natsUrl;
    agentUrl = () => s.natsUrl;
    stopIt = s.stop;
  } else {
    const c = await startCluster(database.url, env);
    dataDir = c.dataDir;
    apiUrl = c.listen('operator-api#1', 'API');
    token = fs.readFileSync(path.join(c.dataDir, 'operator-token'), 'utf8').trim();
    caUrl = c.listen('ca#1', 'CRL/OCSP');
    estUrls = [c.listen('onboarding#1', 'EST'), c.listen('onboarding#2', 'EST')];
    commandUrl = c.natsUrlAs('operator-api', 0);
    agentUrl = (i) => c.natsUrlAs('agent', i % 3);
    natsTls = { caFile: c.natsCaFile };
    stopIt = c.stop;
  }
  const caPem = await (await fetch(`${caUrl}/ca/chain.pem`)).text();
  const secrets = await importDevices(apiUrl, token, ENROLLMENTS_PER_RUN * RUNS);
  const connectTo = (url: string, name: string) => connect({ servers: natsSeeds(url), ...natsCredentials(url), name, tls: natsTls, maxReconnectAttempts: -1 });
  const commands = await connectTo(commandUrl, 'bench-commands');
  const agents = new AgentPool(AGENTS);
  await agents.start(agentUrl, path.join(dataDir, 'bench-agents'), `bench-${kind}`, pemToDer(caPem), undefined, connectTo);
  return {
    estUrls,
    caPem,
    secrets,
    commands,
    agents,
    stop: async () => {
      await agents.stop();
      await commands.close();
      await stopIt();
      await database.drop();
    },
  };
}

const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** simpleenroll with HTTP Basic (the one-time secret), connections kept alive; returns the status. */
function enroll(agent: https.Agent, url: URL, ca: string, device: { serial: string; secret: string }, csr: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const auth = 'Basic ' + Buffer.from(`${device.serial}:${device.secret}`).toString('base64');
    const req = https.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, ca, headers: { authorization: auth, 'content-type': 'application/pkcs10', 'content-length': Buffer.byteLength(csr) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(csr);
  });
}

async function enrollmentLoad(t: Topology, csrs: string[]): Promise<{ perSecond: number; p99: number }> {
  const batch = t.secrets.splice(0, ENROLLMENTS_PER_RUN);
  const targets = t.estUrls.map((u) => ({ url: new URL(`${u}/simpleenroll`), agent: new https.Agent({ keepAlive: true, maxSockets: CLIENTS }) }));
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_v, c) => {
      const target = targets[c % targets.length];
      while (next < batch.length) {
        const device = batch[next++];
        const t0 = process.hrtime.bigint();
        if ((await enroll(target.agent, target.url, t.caPem, device, csrs[c % csrs.length])) !== 200) failed++;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  targets.forEach((x) => x.agent.destroy());
  if (failed) throw new Error(`${failed} of ${batch.length} enrollments failed`);
  return { perSecond: batch.length / seconds, p99: p(latencies.sort((a, b) => a - b), 0.99) };
}

/** Revocations one after another: from sending the command to the last agent having applied it. */
async function revocationReach(t: Topology, csr: string): Promise<{ p50: number; p99: number }> {
  const rpc = new RpcClient(t.commands, 10_000);
  const serials: string[] = [];
  for (let i = 0; i < REVOCATIONS_PER_RUN; i++) {
    const issued = await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr, profile: 'device', subject: { commonName: `reach-${i}` }, ttlSeconds: 3600 });
    serials.push(issued.serial.toLowerCase());
  }
  const reach: number[] = [];
  for (const serial of serials) {
    const applied = t.agents.allApplied(serial);
    const t0 = process.hrtime.bigint();
    await rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial }, reason: 'keyCompromise', actor: 'bench' });
    reach.push(Number((await applied) - t0) / 1e6);
  }
  reach.sort((a, b) => a - b);
  return { p50: p(reach, 0.5), p99: p(reach, 0.99) };
}

export async function clusterBenchmarks(): Promise<Benchmark[]> {
  if (!(await postgresReachable())) {
    process.stderr.write(`cluster-vs-single: no PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (TEST_POSTGRES_URL): not measured\n`);
    return [];
  }
  const figures: Record<Kind, Figures> = { single: { enrollPerSecond: [], enrollP99: [], reachP50: [], reachP99: [] }, cluster: { enrollPerSecond: [], enrollP99: [], reachP50: [], reachP99: [] } };
  /** Every figure taken, warm-up first, for the ratio printed beside the cluster's. */
  const taken: Record<Kind, Partial<Record<keyof Figures, number[]>>> = { single: {}, cluster: {} };
  const median = (kind: Kind, figure: keyof Figures) => {
    const measured = [...(taken[kind][figure] ?? [])].slice(WARMUP_RUNS).sort((a, b) => a - b);
    return measured[Math.floor(measured.length / 2)];
  };
  const running: Partial<Record<Kind, Promise<Topology>>> = {};
  let csrs: string[] | undefined;

  /** One run of a topology measures every figure; the benchmarks after the first read them. */
  const measureOnce = async (kind: Kind) => {
    running[kind] ??= startTopology(kind);
    const t = await running[kind]!;
    csrs ??= await Promise.all(Array.from({ length: 8 }, async (_v, i) => (await createCsr(await generateKeyPair('P-256'), `cluster-bench-${i}`)).toString('base64')));
    const e = await enrollmentLoad(t, csrs);
    const r = await revocationReach(t, csrs[0]);
    figures[kind].enrollPerSecond.push(e.perSecond);
    figures[kind].enrollP99.push(e.p99);
    figures[kind].reachP50.push(r.p50);
    figures[kind].reachP99.push(r.p99);
  };
  const take = (kind: Kind, figure: keyof Figures) => async () => {
    if (figure === 'enrollPerSecond') await measureOnce(kind);
    const v = figures[kind][figure].shift();
    if (v === undefined) throw new Error(`measure ${kind} enrollments first`);
    (taken[kind][figure] ??= []).push(v);
    return v;
  };
  const stop = (kind: Kind) => async () => {
    const t = await running[kind]?.catch(() => undefined);
    delete running[kind];
    await t?.stop();
  };

  const made: Benchmark[] = [];
  const add = (kind: Kind, figure: keyof Figures, name: string, unit: string, what: string, last = false) => {
    made.push({
      name: `cluster-vs-single-${kind}-${name}`,
      unit,
      goal: 'reported beside',
      run: take(kind, figure),
      // Read once the runs are done: the cluster's figure as a multiple of the single instance's.
      get reference() {
        const [a, b] = [median('single', figure), median('cluster', figure)];
        return kind === 'cluster' && a && b ? `${what}; ${(b / a).toFixed(2)}× the single instance` : what;
      },
      teardown: last ? stop(kind) : undefined,
    });
  };
  const single = 'single instance of each service, 1 nats-server, PostgreSQL';
  const cluster = '2 instances of each service, 3 nats-server nodes (replicas 3), PostgreSQL';
  add('single', 'enrollPerSecond', 'est-simpleenroll', 'enrollments/s', `${single}; 64 clients, keep-alive`);
  add('single', 'enrollP99', 'est-simpleenroll-p99', 'ms', single);
  add('single', 'reachP50', 'revocation-reach-p50', 'ms', `${single}; revoke command → ${AGENTS} agents applied`);
  add('single', 'reachP99', 'revocation-reach-p99', 'ms', single, true);
  add('cluster', 'enrollPerSecond', 'est-simpleenroll', 'enrollments/s', `${cluster}; 64 clients over both EST instances`);
  add('cluster', 'enrollP99', 'est-simpleenroll-p99', 'ms', cluster);
  add('cluster', 'reachP50', 'revocation-reach-p50', 'ms', `${cluster}; revoke command → ${AGENTS} agents applied`);
  add('cluster', 'reachP99', 'revocation-reach-p99', 'ms', cluster, true);
  return made;
}
