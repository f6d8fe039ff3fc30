import { AgentPool } from './agent-pool';

/**
 * One worker process of the multi-process fan-out bench (revocation-fanout.bench.ts starts it
 * with fork()): argv natsUrl dir size name trust (the CA certificates, comma-separated base64 DER). Holds `size` agents and tells the parent over IPC
 * when they are all running, and for each serial when the last of them applied it.
 */
async function main(): Promise<void> {
  const [natsUrl, dir, size, name, trust] = process.argv.slice(2);
  const pool = new AgentPool(Number(size), (serial, last) => process.send!({ serial, last: last.toString() }));
  await pool.start(natsUrl, dir, name, trust.split(',').map((b64) => Buffer.from(b64, 'base64')));
  process.send!({ ready: true });
  process.on('disconnect', () => void pool.stop().finally(() => process.exit(0)));
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
