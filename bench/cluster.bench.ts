import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { parsePemCertificates } from '../libs/revocation-client/src/pem-certificates';
import { startCluster } from '../test/support/cluster';
import { createTestDatabase, postgresReachable, ADMIN_URL } from '../test/support/postgres';
import { startSuite } from '../test/support/suite';
import { AgentPool } from './agent-pool';
import { EnrollmentSecret, enrollmentCsrs, importDevices, runLoad } from './est-load';
import { Benchmark, median, MEASURED_RUNS, percentile, WARMUP_RUNS } from './harness';

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
  secrets: EnrollmentSecret[];
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

async function startTopology(kind: Kind): Promise<Topology> {
  const database = await createTestDatabase();
  // One address makes all the enrollments: no per-address limit.
  const env = { EST_RATE_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  let apiUrl: string, token: string, caUrl: string, estUrls: string[], commandUrl: string, agentUrl: (i: number) => string, stopIt: () => Promise<unknown>, dataDir: string;
  /** The cluster's NATS speaks TLS only, with a CA of its own. */
  let natsOptions: ConnectionOptions = {};
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
    natsOptions = { tls: { caFile: c.natsCaFile } };
    stopIt = c.stop;
  }
  const caPem = await (await fetch(`${caUrl}/ca/chain.pem`)).text();
  const secrets = await importDevices(apiUrl, token, ENROLLMENTS_PER_RUN * RUNS, 'CLUSTER-BENCH-');
  const commands = await connectNats(commandUrl, 'bench-commands', natsOptions);
  const agents = new AgentPool(AGENTS);
  await agents.start(agentUrl, path.join(dataDir, 'bench-agents'), `bench-${kind}`, parsePemCertificates(caPem), { nats: natsOptions });
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
  return { p50: percentile(reach, 0.5), p99: percentile(reach, 0.99) };
}

/** Stops what the cluster benchmarks started and left running (a selection without the benchmark that stops a topology). */
let stopLeftovers: () => Promise<void> = async () => undefined;
export function stopClusterBenchmarks(): Promise<void> {
  return stopLeftovers();
}

export async function clusterBenchmarks(): Promise<Benchmark[]> {
  if (!(await postgresReachable())) {
    process.stderr.write(`cluster-vs-single: no PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (TEST_POSTGRES_URL): not measured\n`);
    return [];
  }
  const figures: Record<Kind, Figures> = { single: { enrollPerSecond: [], enrollP99: [], reachP50: [], reachP99: [] }, cluster: { enrollPerSecond: [], enrollP99: [], reachP50: [], reachP99: [] } };
  /** Every figure taken, warm-up first, for the ratio printed beside the cluster's. */
  const taken: Record<Kind, Partial<Record<keyof Figures, number[]>>> = { single: {}, cluster: {} };
  const medianOf = (kind: Kind, figure: keyof Figures) => median((taken[kind][figure] ?? []).slice(WARMUP_RUNS));
  const running: Partial<Record<Kind, Promise<Topology>>> = {};
  let csrs: string[] | undefined;

  /** One run of a topology measures every figure; the benchmarks after the first read them. */
  const measureOnce = async (kind: Kind) => {
    running[kind] ??= startTopology(kind);
    const t = await running[kind]!;
    csrs ??= await enrollmentCsrs();
    // simpleenroll, connections kept alive, the clients spread over the topology's EST instances.
    const e = await runLoad({ estUrls: t.estUrls, ca: t.caPem, secrets: t.secrets, count: ENROLLMENTS_PER_RUN, csrs, clients: CLIENTS, keepAlive: true });
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
  stopLeftovers = async () => {
    await stop('single')();
    await stop('cluster')();
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
        const [a, b] = [medianOf('single', figure), medianOf('cluster', figure)];
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
