import * as fs from 'node:fs';
import { RunningSuite, startSuite } from '../test/support/suite';
import { EnrollmentSecret, enrollmentCsrs, importDevices, runLoad } from './est-load';
import { Benchmark } from './harness';

/**
 * EST simpleenroll end to end against the running suite (the launcher `npm start` runs, its
 * own nats-server, SQLite): TLS, HTTP Basic with a one-time secret, CSR checks, policy over
 * NATS, the CA over NATS, the database, the enrollment record. 64 concurrent clients, once
 * reusing their connections (keep-alive; each client opens its connection before the clock
 * starts) and once with a new TLS handshake per enrollment
 * (no session resumption). The clients run in this process, on the same 2 cores.
 */
const CLIENTS = 64;
const PER_RUN = 1200;
const RUNS = 6; // the harness: 1 warm-up + 5 measured

interface Suite {
  suite: RunningSuite;
  ca: string;
  secrets: EnrollmentSecret[];
}

let suite: Promise<Suite> | undefined;

async function startEstSuite(): Promise<Suite> {
  // The benchmark is one address making thousands of enrollments a second.
  const s = await startSuite({ EST_RATE_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  const ca = await (await fetch(`${s.caUrl}/ca/chain.pem`)).text();
  const secrets = await importDevices(s.apiUrl, s.token, PER_RUN * RUNS * 2, 'BENCH-');
  return { suite: s, ca, secrets };
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
  let csrs: string[] | undefined;
  const p99s: Record<'reuse' | 'handshake', number[]> = { reuse: [], handshake: [] };
  const load = async (mode: 'reuse' | 'handshake') => {
    suite ??= startEstSuite();
    const s = await suite;
    csrs ??= await enrollmentCsrs();
    const r = await runLoad({ estUrls: [s.suite.estUrl], ca: s.ca, secrets: s.secrets, count: PER_RUN, csrs, clients: CLIENTS, keepAlive: mode === 'reuse' });
    p99s[mode].push(r.p99);
    return r.perSecond;
  };
  const p99 = (mode: 'reuse' | 'handshake') => async () => {
    const v = p99s[mode].shift();
    if (v === undefined) throw new Error('run the throughput benchmark first');
    return v;
  };
  return [
    { name: 'est-simpleenroll-keepalive', unit: 'enrollments/s', goal: '>= 500/s at 64 clients', run: () => load('reuse'), reference: '64 clients, connections reused' },
    { name: 'est-simpleenroll-keepalive-p99', unit: 'ms', goal: '< 100 ms', run: p99('reuse'), reference: 'p99 latency of the runs above' },
    { name: 'est-simpleenroll-new-handshake', unit: 'enrollments/s', goal: 'reported beside', run: () => load('handshake'), reference: '64 clients, full TLS handshake each' },
    { name: 'est-simpleenroll-new-handshake-p99', unit: 'ms', goal: 'reported beside', run: p99('handshake'), reference: 'p99 latency of the runs above' },
  ];
}
