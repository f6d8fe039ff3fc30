import { AgentPool } from './agent-pool';

/** Parent → worker: begin a run, or report on one that is over. */
export type PoolCommand = { run: 'start' } | { run: 'report'; serials: string[] };
/** Worker → parent: the agents are following, a run began, a run's report, or a failure. */
export type PoolReply = { ready: true } | { started: true } | { applied: string } | { report: import('./agent-pool').PoolReport } | { error: string };

/**
 * One worker process of the multi-process fan-out bench (revocation-fanout.bench.ts starts it
 * with fork()): argv natsUrl dir size name logSequence trust (the CA certificates,
 * comma-separated base64 DER). Holds `size` agents. While agents work, only one small message
 * per event leaves (all agents here applied it, so the parent may publish the next); the
 * times, taken here, and the CPU are sent after the run.
 */
async function main(): Promise<void> {
  const [natsUrl, dir, size, name, logSequence, trust] = process.argv.slice(2);
  // When all agents here applied a serial: one small message, no time in it (the times come with the report).
  const pool = new AgentPool(Number(size), (serial) => process.send!({ applied: serial } satisfies PoolReply));
  await pool.start(natsUrl, dir, name, trust.split(',').map((b64) => Buffer.from(b64, 'base64')), { logSequence: Number(logSequence) });
  const reply = (r: PoolReply) => process.send!(r);
  process.on('message', (c: PoolCommand) => {
    if (c.run === 'start') {
      pool.startRun();
      reply({ started: true });
    } else {
      pool.report(c.serials).then((report) => reply({ report }), (e: Error) => reply({ error: e.message }));
    }
  });
  process.on('disconnect', () => void pool.stop().finally(() => process.exit(0)));
  reply({ ready: true });
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
