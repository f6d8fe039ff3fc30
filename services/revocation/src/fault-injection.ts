import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Fault injection for the end-to-end fault tests, off unless IIS_FAULT_INJECTION names the
 * point. `crash-after-outbox-commit` kills the process right after a revocation and its
 * outbox row are committed and before the relay publishes: the case the outbox exists for.
 * It fires once per data folder (a marker file), so the restarted process runs normally.
 */
const point = process.env.IIS_FAULT_INJECTION;

export function crashPoint(name: 'crash-after-outbox-commit'): void {
  if (point !== name) return;
  const marker = path.join(path.resolve(process.env.DATA_DIR || 'data'), `fault-injection-${name}.done`);
  if (fs.existsSync(marker)) return;
  fs.writeFileSync(marker, new Date().toISOString());
  process.stderr.write(`revocation: fault injection ${name}: exiting now\n`);
  process.exit(86);
}
