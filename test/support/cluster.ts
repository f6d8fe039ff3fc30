import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './suite';
import { startNodeProcess } from './node-process';

export interface RunningCluster {
  dataDir: string;
  output(): string;
  /** nats://host:port of each of the three nodes, and the pid of each. */
  nodes: { url: string; pid: number }[];
  /** URL for a NATS client logging in as one of the per-service users (or `agent`). */
  natsUrlAs(user: string, node?: number): string;
  /** The pid of instance `n` of a service, from its JSON log lines. */
  pidOf(label: string): number;
  /** The URL an instance printed for one of its listeners, e.g. `listen('onboarding#1', 'EST')`. */
  listen(label: string, kind: 'EST' | 'API' | 'CRL/OCSP'): string;
  stop(): Promise<void>;
}

/** `npm run cluster` as built: three NATS nodes, PostgreSQL (`databaseUrl`), two instances of each service. */
export async function startCluster(databaseUrl: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-cluster-'));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NATS_URL: '', ...extraEnv };
  const { child, output, exited } = await startNodeProcess(path.join(repoRoot, 'dist/tools/launcher/src/cluster.js'), env, /cluster ready/, 'the local cluster starting', 120_000);
  const out = output();
  const nodes = [...out.matchAll(/iis-local-\d nats:\/\/(127\.0\.0\.1:\d+) \([^)]*pid (\d+)\)/g)].map((m) => ({ url: `nats://${m[1]}`, pid: Number(m[2]) }));
  const pidOf = (label: string) => Number(new RegExp(`^\\[${label.replace('#', '\\#')}\\]\\s+\\{[^\\n]*?"pid":(\\d+)`, 'm').exec(output())?.[1]);
  return {
    dataDir,
    output,
    nodes,
    natsUrlAs: (user, node = 0) => nodes[node].url.replace('nats://', `nats://${user}:${fs.readFileSync(path.join(dataDir, 'secrets', `nats-${user}`), 'utf8').trim()}@`),
    pidOf,
    listen: (label, kind) => {
      const url = new RegExp(`^\\s+${label.replace('#', '\\#')}\\s.*?${kind.replace('/', '\\/')} (\\S+)`, 'm').exec(out)?.[1];
      if (!url) throw new Error(`the cluster printed no ${kind} URL for ${label}`);
      return url;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
