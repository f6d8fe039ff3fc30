import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, portFree, waitForPort } from './ports';

export interface EmbeddedNats {
  url: string;
  process: ChildProcess;
}

/**
 * A local nats-server with JetStream on loopback, its store in the data folder. Port 4222
 * unless taken (a developer may already run a NATS there), then any free port.
 */
export async function startEmbeddedNats(dataDir: string, preferredPort: number, log: (s: string) => void, pick: () => Promise<number> = freePort): Promise<EmbeddedNats> {
  const port = preferredPort > 0 && (await portFree(preferredPort, '127.0.0.1')) ? preferredPort : await pick();
  if (preferredPort > 0 && port !== preferredPort) log(`port ${preferredPort} is taken; the suite's own nats-server uses ${port}`);
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '--name', `iis-embedded-${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  // The last 20 lines, for the message if it fails to start.
  const keep = (b: Buffer) => {
    lines.push(...b.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}) before it was ready:\n${lines.join('\n')}`))),
  );
  await Promise.race([waitForPort(port, '127.0.0.1', 15_000), exited]);
  exited.catch(() => undefined); // later exits are the supervisor's business
  return { url: `nats://127.0.0.1:${port}`, process: child };
}
