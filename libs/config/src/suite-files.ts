import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `npm start` writes the URL of the NATS it runs to `<data>/nats-url` (it is not on 4222 when
 * that port is taken), so tools started from the repository (`idctl agent`, `ca-admin`) find
 * it without being told.
 */
export function natsUrlFile(dataDir: string): string {
  return path.join(dataDir, 'nats-url');
}

export function suiteNatsUrl(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(natsUrlFile(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
