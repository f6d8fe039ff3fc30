import * as fs from 'node:fs';
import * as path from 'node:path';
import { swapCommittedLines } from '../../tools/launcher/src/nats-cluster';
import { freePort } from '../../tools/launcher/src/ports';
import { TestNatsServer } from './nats-server';
import { repoRoot } from './suite';

export const LEAF_SITE_CONF = path.join(repoRoot, 'deploy', 'cluster', 'nats', 'leaf-site.conf');

/**
 * deploy/cluster/nats/leaf-site.conf as committed, with only what differs on loopback replaced:
 * the client port and the path of the cluster's CA. A line that is no longer there fails the
 * test, so the test cannot drift from the committed file.
 */
export function renderLeafSiteConf(committed: string, port: number, caFile: string): string {
  return swapCommittedLines(
    committed,
    [
      ['listen: 127.0.0.1:4222', `listen: 127.0.0.1:${port}`],
      ['ca_file: "/etc/nats/tls/ca.pem"', `ca_file: ${JSON.stringify(caFile)}`],
    ],
    (from) => `leaf-site.conf no longer has \`${from}\`: update test/support/leaf-site.ts with it`,
  );
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
  const server = await TestNatsServer.start({
    port,
    args: () => ['-c', conf],
    env: { ...process.env, NATS_SERVER_NAME: 'site-e2e', NATS_HUB_URLS: JSON.stringify(hubUrls) },
    logFile: path.join(dir, 'leaf.log'),
  });
  return { url: server.url, start: () => server.restart(), stop: () => server.stop() };
}
