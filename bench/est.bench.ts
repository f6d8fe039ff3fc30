import * as fs from 'node:fs';
import { RunningSuite, startSuite } from '../test/support/suite';
import { EnrollmentSecret, enrollmentCsrs, importDevices, runLoad } from './est-load';
import { Benchmark } from './harness';
import { cpuPer, SuiteCpu } from './process-cpu';

/**
 * EST simpleenroll end to end against the running suite (the launcher `npm start` runs, its
 * own nats-server, SQLite): TLS, HTTP Basic with a one-time secret, CSR checks, policy over
 * NATS, the CA over NATS, the database, the enrollment record. 64 concurrent clients, once
 * reusing their connections (keep-alive; each client opens its connection before the clock
 * starts) and once with a new TLS handshake per enrollment
 * (no session resumption). The clients run in this process, on the same 2 cores.
 *
 * The p99 figures are the steady state: requests sent once every client had its first answer
 * (est-load.ts splitRun). The first wave, 64 requests sent in the same millisecond, is a burst
 * that queues behind itself through every stage of the suite; how long the slowest of it took
 * is its own figure.
 */
const CLIENTS = 64;
const PER_RUN = 1200;
const RUNS = 6; // the harness: 1 warm-up + 5 measured
/**
 * Enrollments the freshly started suite makes before any run: its first ~2,400 cost up to twice
 * the CPU of later ones (V8 still compiling the hot paths, young generations still growing).
 */
const SUITE_WARMUP = 2400;

interface Suite {
  suite: RunningSuite;
  ca: string;
  secrets: EnrollmentSecret[];
  csrs: string[];
  cpu: SuiteCpu;
}

let suite: Promise<Suite> | undefined;

async function startEstSuite(): Promise<Suite> {
  // The benchmark is one address making thousands of enrollments a second.
  const s = await startSuite({ EST_RATE_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  const ca = await (await fetch(`${s.caUrl}/ca/chain.pem`)).text();
  const secrets = await importDevices(s.apiUrl, s.token, SUITE_WARMUP + PER_RUN * RUNS * 2, 'BENCH-');
  const csrs = await enrollmentCsrs();
  await runLoad({ estUrls: [s.estUrl], ca, secrets, count: SUITE_WARMUP, csrs, clients: CLIENTS, keepAlive: true });
  return { suite: s, ca, secrets, csrs, cpu: new SuiteCpu(s.pid) };
}

export async function stopEstSuite(): Promise<void> {
  if (!suite) return;
  const s = await suite.catch(() => undefined);
  if (s) {
    await s.suite.stop();
    fs.rmSync(s.suite.dataDir, { recursive: true, force: true });
  }
}

export async function estBenchmarks(): Promise<Benchmark[]> {
  const p99s: Record<'reuse' | 'handshake', number[]> = { reuse: [], handshake: [] };
  const firstWaves: number[] = [];
  /** Per run, µs of CPU per enrollment by process (onboarding, ca, policy, nats-server, …, clients). */
  const cpu: Record<'reuse' | 'handshake', Array<Record<string, number>>> = { reuse: [], handshake: [] };
  const load = async (mode: 'reuse' | 'handshake') => {
    suite ??= startEstSuite();
    const s = await suite;
    const r = await runLoad({ estUrls: [s.suite.estUrl], ca: s.ca, secrets: s.secrets, count: PER_RUN, csrs: s.csrs, clients: CLIENTS, keepAlive: mode === 'reuse', cpu: s.cpu });
    cpu[mode].push(Object.fromEntries(Object.entries(r.cpu!).map(([role, us]) => [role, us / PER_RUN])));
    if (r.steadyCount < PER_RUN / 2) throw new Error(`only ${r.steadyCount} of ${PER_RUN} enrollments were sent after the first wave`);
    p99s[mode].push(r.steadyP99);
    if (mode === 'reuse') firstWaves.push(r.firstWave);
    return r.perSecond;
  };
  const taken = (figures: number[]) => async () => {
    const v = figures.shift();
    if (v === undefined) throw new Error('run the throughput benchmark first');
    return v;
  };
  return [
    {
      name: 'est-simpleenroll-keepalive',
      unit: 'enrollments/s',
      goal: '>= 500/s at 64 clients',
      run: () => load('reuse'),
      get reference() {
        return `64 clients, connections reused; ${cpuPer('enrollment', cpu.reuse)}`;
      },
    },
    { name: 'est-simpleenroll-keepalive-p99', unit: 'ms', goal: '< 100 ms', run: taken(p99s.reuse), reference: 'p99 latency of the runs above, steady state' },
    { name: 'est-simpleenroll-keepalive-first-wave', unit: 'ms', goal: 'reported beside', run: taken(firstWaves), reference: 'slowest of the 64 first requests, sent together' },
    {
      name: 'est-simpleenroll-new-handshake',
      unit: 'enrollments/s',
      goal: 'reported beside',
      run: () => load('handshake'),
      get reference() {
        return `64 clients, full TLS handshake each; ${cpuPer('enrollment', cpu.handshake)}`;
      },
    },
    { name: 'est-simpleenroll-new-handshake-p99', unit: 'ms', goal: 'reported beside', run: taken(p99s.handshake), reference: 'p99 latency of the runs above, steady state' },
  ];
}
