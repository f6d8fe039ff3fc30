import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsTlsFiles } from './nats-tls';
import { portPicker, waitForPort } from './ports';

export interface ClusterNode {
  name: string;
  clientPort: number;
  monitorPort: number;
  /** Where gateway sites' leaf nodes connect (TLS), as port 7422 in deploy/cluster/nats/nats-server.conf. */
  leafPort: number;
  process: ChildProcess;
}

export interface LocalNatsCluster {
  nodes: ClusterNode[];
  /** Seeds for NATS_URL (tls://), without credentials. */
  seeds: string[];
  stop(): Promise<void>;
}

/**
 * One node's configuration: deploy/cluster/nats/nats-server.conf as committed, with only what
 * differs on loopback replaced (addresses, ports, paths). A line that is no longer there stops
 * the start, so the local cluster cannot drift from the deployed one.
 */
export function renderNodeConf(template: string, node: { client: number; route: number; monitor: number; leaf: number }, routes: number[], tlsDir: string, storeDir: string): string {
  const swapped = swapCommittedLines(
    template,
    [
      ['listen: 0.0.0.0:4222', `listen: 127.0.0.1:${node.client}`],
      ['http: 0.0.0.0:8222', `http: 127.0.0.1:${node.monitor}`],
      ['listen: 0.0.0.0:6222', `listen: 127.0.0.1:${node.route}`],
      ['listen: 0.0.0.0:7422', `listen: 127.0.0.1:${node.leaf}`],
      ['store_dir: "/data/jetstream"', `store_dir: ${JSON.stringify(storeDir)}`],
      ...[1, 2, 3].map((n): [string, string] => [`"nats-route://nats-${n}:6222"`, `"nats-route://127.0.0.1:${routes[n - 1]}"`]),
    ],
    (from) => `deploy/cluster/nats/nats-server.conf no longer has \`${from}\`: update tools/launcher/src/nats-cluster.ts`,
  );
  return swapped.replace(/"\/etc\/nats\/tls\/([a-z-]+\.pem)"/g, (_m, file: string) => JSON.stringify(path.join(tlsDir, file)));
}

/**
 * A committed configuration with each `from` replaced (its first occurrence) by its `to`; a
 * `from` the text no longer has throws `missing(from)`, so what is run cannot drift from what
 * is committed unnoticed.
 */
export function swapCommittedLines(committed: string, swaps: [string, string][], missing: (from: string) => string): string {
  return swaps.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(missing(from));
    return text.replace(from, to);
  }, committed);
}

/**
 * Three nats-server processes on loopback forming one cluster, each running the committed
 * deploy/cluster/nats/nats-server.conf (JetStream in domain `iis`, routes, TLS for clients, routes
 * and leaf nodes) with the per-service users of deploy/cluster/nats/users.conf (passwords from
 * `passwords`, given to nats-server as environment variables). `tls` holds ca.pem, server.pem and
 * server-key.pem (nats-tls.ts).
 */
export async function startLocalNatsCluster(dir: string, confDir: string, passwords: Record<string, string>, tls: NatsTlsFiles, log: (s: string) => void): Promise<LocalNatsCluster> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(confDir, 'users.conf'), path.join(dir, 'users.conf'));
  const template = fs.readFileSync(path.join(confDir, 'nats-server.conf'), 'utf8');
  // Twelve distinct ports: the OS may hand out a port it just gave us again.
  const distinctPort = portPicker();
  const ports = [];
  for (let i = 0; i < 3; i++) ports.push({ client: await distinctPort(), route: await distinctPort(), monitor: await distinctPort(), leaf: await distinctPort() });
  // nats-server parses an environment variable's value as a config value: a password like `12.5m…`
  // or `1e5…` would be read as a number and fail; quoted, every base64url password is a string.
  const env = { ...process.env, ...Object.fromEntries(Object.entries(passwords).map(([k, v]) => [k, JSON.stringify(v)])) };
  const tlsDir = path.dirname(tls.certFile);
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < 3; i++) {
    const name = `iis-local-${i + 1}`;
    const conf = path.join(dir, `${name}.conf`);
    fs.writeFileSync(conf, renderNodeConf(template, ports[i], ports.map((p) => p.route), tlsDir, path.join(dir, name)));
    const child = spawn('nats-server', ['-c', conf], { env: { ...env, NATS_SERVER_NAME: name }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (b: Buffer) => {
      for (const line of b.toString().split('\n')) if ((/\[(ERR|FTL)\]/.test(line) && !/connect to route/.test(line)) || /^nats-server:/.test(line)) log(`${name}: ${line.trim()}`);
    });
    child.once('exit', (code, signal) => log(`${name} exited (${signal ?? code})`));
    nodes.push({ name, clientPort: ports[i].client, monitorPort: ports[i].monitor, leafPort: ports[i].leaf, process: child });
  }
  const stop = async () => {
    await Promise.all(
      nodes.map((n) =>
        n.process.exitCode !== null || n.process.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              n.process.once('exit', () => resolve());
              n.process.kill('SIGTERM');
            }),
      ),
    );
  };
  try {
    for (const n of nodes) await waitForPort(n.clientPort, '127.0.0.1', 15_000);
    // JetStream in a cluster answers once its meta group has a leader: wait for that on every node.
    for (const n of nodes) await waitForJetStream(n.monitorPort, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, seeds: nodes.map((n) => `tls://127.0.0.1:${n.clientPort}`), stop };
}

async function waitForJetStream(monitorPort: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${monitorPort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`JetStream on monitor port ${monitorPort} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
