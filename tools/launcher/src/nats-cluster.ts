import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsTlsFiles } from './nats-tls';
import { freePort, waitForPort } from './ports';

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
  /** Seeds for NATS_URL, without credentials. */
  seeds: string[];
  stop(): Promise<void>;
}

/**
 * Three nats-server processes on loopback forming one cluster (routes) with JetStream, each with
 * its own store, and the per-service users of deploy/cluster/nats/users.conf (passwords from
 * `passwords`, given to nats-server as environment variables). Leaf nodes connect over TLS (`tls`).
 */
export async function startLocalNatsCluster(dir: string, usersConf: string, passwords: Record<string, string>, tls: NatsTlsFiles, log: (s: string) => void): Promise<LocalNatsCluster> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(usersConf, path.join(dir, 'users.conf'));
  // Twelve distinct ports: the OS may hand out a port it just gave us again.
  const taken = new Set<number>();
  const distinctPort = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) return taken.add(p), p;
    }
  };
  const ports = [];
  for (let i = 0; i < 3; i++) ports.push({ client: await distinctPort(), route: await distinctPort(), monitor: await distinctPort(), leaf: await distinctPort() });
  const routes = ports.map((p) => `"nats-route://127.0.0.1:${p.route}"`).join(', ');
  // nats-server parses an environment variable's value as a config value: a password like `12.5m…`
  // or `1e5…` would be read as a number and fail; quoted, every base64url password is a string.
  const env = { ...process.env, ...Object.fromEntries(Object.entries(passwords).map(([k, v]) => [k, JSON.stringify(v)])) };
  const tlsBlock = `tls { cert_file: "${tls.certFile}", key_file: "${tls.keyFile}", ca_file: "${tls.caFile}" }`;
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < 3; i++) {
    const name = `iis-local-${i + 1}`;
    const conf = path.join(dir, `${name}.conf`);
    fs.writeFileSync(
      conf,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${ports[i].client}`,
        `http: 127.0.0.1:${ports[i].monitor}`,
        // The JetStream domain of deploy/cluster/nats/nats-server.conf: leaf sites map their agents into it.
        `jetstream { store_dir: "${path.join(dir, name)}", domain: iis }`,
        `cluster { name: iis-local, listen: 127.0.0.1:${ports[i].route}, routes: [${routes}] }`,
        `leafnodes { listen: 127.0.0.1:${ports[i].leaf}, no_advertise: true, ${tlsBlock} }`,
        'include ./users.conf',
        '',
      ].join('\n'),
    );
    const child = spawn('nats-server', ['-c', conf], { env, stdio: ['ignore', 'ignore', 'pipe'] });
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
  return { nodes, seeds: nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`), stop };
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
