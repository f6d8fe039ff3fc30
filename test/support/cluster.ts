import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './suite';
import { startNodeProcess } from './node-process';

export interface RunningCluster {
  dataDir: string;
  output(): string;
  /** tls://host:port of each of the three nodes (TLS only), its monitoring URL, and its pid. */
  nodes: { url: string; monitorUrl: string; pid: number }[];
  /** Port of each node's leaf-node listener (TLS), in node order. */
  leafPorts: number[];
  /** The CA the cluster's NATS certificates chain to (made at its first start): `tls: { caFile }` for a client. */
  natsCaFile: string;
  /** The generated password of a per-service NATS user (or `agent`). */
  natsPassword(user: string): string;
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
  const nodes = [...out.matchAll(/iis-local-\d tls:\/\/(127\.0\.0\.1:\d+) \(monitor (\S+), pid (\d+)\)/g)].map((m) => ({ url: `tls://${m[1]}`, monitorUrl: m[2], pid: Number(m[3]) }));
  const leafPorts = [.../Leaf nodes:\s+([^(]*)/.exec(out)![1].matchAll(/tls:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  const natsPassword = (user: string) => fs.readFileSync(path.join(dataDir, 'secrets', `nats-${user}`), 'utf8').trim();
  const pidOf = (label: string) => Number(new RegExp(`^\\[${label.replace('#', '\\#')}\\]\\s+\\{[^\\n]*?"pid":(\\d+)`, 'm').exec(output())?.[1]);
  return {
    dataDir,
    output,
    nodes,
    leafPorts,
    natsCaFile: path.join(dataDir, 'nats-tls', 'ca.pem'),
    natsPassword,
    natsUrlAs: (user, node = 0) => nodes[node].url.replace('tls://', `tls://${user}:${natsPassword(user)}@`),
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
