import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, waitForPort } from '../../tools/launcher/src/ports';
import { repoRoot } from './suite';

export const LEAF_SITE_CONF = path.join(repoRoot, 'deploy', 'cluster', 'nats', 'leaf-site.conf');

/**
 * deploy/cluster/nats/leaf-site.conf as committed, with only what differs on loopback replaced:
 * the client port and the path of the cluster's CA. A line that is no longer there fails the
 * test, so the test cannot drift from the committed file.
 */
export function renderLeafSiteConf(committed: string, port: number, caFile: string): string {
  const swaps: [string, string][] = [
    ['listen: 127.0.0.1:4222', `listen: 127.0.0.1:${port}`],
    ['ca_file: "/etc/nats/tls/ca.pem"', `ca_file: ${JSON.stringify(caFile)}`],
  ];
  return swaps.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`leaf-site.conf no longer has \`${from}\`: update test/support/leaf-site.ts with it`);
    return text.replace(from, to);
  }, committed);
}

export interface LeafSite {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port with the same configuration. */
  start(): Promise<void>;
}

/** A real nats-server running the site's configuration, its remotes given as NATS_HUB_URLS. */
export async function startLeafSite(dir: string, hubUrls: string[], caFile: string): Promise<LeafSite> {
  const port = await freePort();
  const conf = path.join(dir, 'leaf-site.conf');
  fs.writeFileSync(conf, renderLeafSiteConf(fs.readFileSync(LEAF_SITE_CONF, 'utf8'), port, caFile));
  const env = { ...process.env, NATS_SERVER_NAME: 'site-e2e', NATS_HUB_URLS: JSON.stringify(hubUrls) };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const c = spawn('nats-server', ['-c', conf, '-l', path.join(dir, 'leaf.log')], { env, stdio: 'ignore' });
    child = c;
    exited = new Promise<void>((r) => c.once('exit', () => r()));
    await Promise.race([waitForPort(port, '127.0.0.1', 15_000), exited.then(() => Promise.reject(new Error(`the leaf nats-server exited:\n${fs.readFileSync(path.join(dir, 'leaf.log'), 'utf8').slice(-4000)}`)))]);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    stop: async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
