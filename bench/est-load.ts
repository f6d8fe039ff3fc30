import * as tls from 'node:tls';
import { createCsr, generateKeyPair } from '@iis/pki';
import { simFor } from '../test/support/sim';
import { EstClientConnection } from './est-client';
import { percentile } from './harness';
import type { SuiteCpu } from './process-cpu';

/** A registered device and its one-time enrollment secret. */
export interface EnrollmentSecret {
  serial: string;
  secret: string;
}

/** Registers `count` devices (serials `<prefix>0`, `<prefix>1`, …) through the operator API, 400 a request; returns their one-time secrets. */
export async function importDevices(apiUrl: string, token: string, count: number, prefix: string): Promise<EnrollmentSecret[]> {
  const secrets: EnrollmentSecret[] = [];
  for (let start = 0; start < count; start += 400) {
    const rows = Array.from({ length: Math.min(400, count - start) }, (_v, k) => ({ line: start + k + 2, serial: `${prefix}${start + k}`, ...simFor(start + k) }));
    const res = await fetch(`${apiUrl}/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ rows, withSecrets: true }) });
    const reply = (await res.json()) as { secrets?: EnrollmentSecret[] };
    if (!res.ok || !reply.secrets) throw new Error(`device import failed: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
    secrets.push(...reply.secrets);
  }
  return secrets;
}

/** The CSRs the clients send, one key each (P-256, base64 DER): client c sends number c % 8. */
export function enrollmentCsrs(): Promise<string[]> {
  return Promise.all(Array.from({ length: 8 }, async (_v, i) => (await createCsr(await generateKeyPair('P-256'), `bench-${i}`)).toString('base64')));
}

/** simpleenroll with HTTP Basic (the one-time secret); returns the status. */
async function post(client: EstClientConnection, path: string, device: EnrollmentSecret, csr: string): Promise<number> {
  const auth = 'Basic ' + Buffer.from(`${device.serial}:${device.secret}`).toString('base64');
  return (await client.request('POST', path, { Authorization: auth, 'Content-Type': 'application/pkcs10' }, csr)).status;
}

export interface EnrollmentLoad {
  /** EST base URLs (…/.well-known/est); client c enrolls at number c % estUrls.length. */
  estUrls: string[];
  /** The CA chain (PEM) the clients verify the servers with. */
  ca: string;
  /** Taken from the front: `count` of them are used up. */
  secrets: EnrollmentSecret[];
  count: number;
  csrs: string[];
  clients: number;
  /** Connections reused, or a new TLS handshake (no session resumption) for every enrollment. */
  keepAlive: boolean;
  /** Where to read the suite's CPU over the timed part of the run, if wanted. */
  cpu?: SuiteCpu;
}

/** What one run measured. */
export interface LoadResult {
  /** Enrollments per second over the whole run, its start included. */
  perSecond: number;
  /** p99 latency (ms) of every request of the run. */
  p99: number;
  /** p99 latency (ms) of the steady state: requests sent after every client had its first answer. */
  steadyP99: number;
  /** How many requests that is. */
  steadyCount: number;
  /** The slowest of the first wave (ms): every client's first request, all sent in the same millisecond. */
  firstWave: number;
  /** µs of CPU by process over the timed part (the connections opened before it left out), when asked. */
  cpu?: Record<string, number>;
}

/** One request: when it was sent (ms from the run's start), its latency (ms), whether it was its client's first. */
export interface Sample {
  sentAt: number;
  latency: number;
  first: boolean;
}

/**
 * Steady state and first wave of a run. The clients all send their first request at the same
 * moment, so that wave queues behind itself through every stage of the suite (a synchronized
 * burst, not the load of 64 clients running side by side): it is reported on its own, and the
 * p99 is taken over the requests sent once every client had its first answer.
 */
export function splitRun(samples: Sample[]): Omit<LoadResult, 'perSecond' | 'cpu'> {
  const firsts = samples.filter((s) => s.first);
  const settled = Math.max(...firsts.map((s) => s.sentAt + s.latency));
  const steady = samples.filter((s) => s.sentAt >= settled).map((s) => s.latency);
  return {
    p99: percentile(samples.map((s) => s.latency), 0.99),
    steadyP99: steady.length ? percentile(steady, 0.99) : NaN,
    steadyCount: steady.length,
    firstWave: Math.max(...firsts.map((s) => s.latency)),
  };
}

/** `clients` concurrent clients enroll `count` devices; throughput, p99 (all, steady state) and the first wave. */
export async function runLoad(l: EnrollmentLoad): Promise<LoadResult> {
  // One client TLS context (the CA to verify the server with) for every connection: building it
  // per connection cost the client more CPU than the server's side of the handshake. Each new
  // connection still makes a full handshake and verifies the server's chain.
  const secureContext = tls.createSecureContext({ ca: l.ca });
  const clients = Array.from({ length: l.clients }, (_v, c) => {
    const base = new URL(l.estUrls[c % l.estUrls.length]);
    return { connection: new EstClientConnection(base, secureContext, l.keepAlive), path: `${base.pathname}/simpleenroll`, cacerts: `${base.pathname}/cacerts` };
  });
  const batch = l.secrets.splice(0, l.count);
  if (batch.length < l.count) throw new Error('out of enrollment secrets');
  // Clients that reuse their connections have them before the clock starts: each opens its
  // connection (TLS handshake) with a cacerts request, so the figure is enrollments on reused
  // connections. The cost of a handshake per enrollment is the other figure (keepAlive false).
  if (l.keepAlive) {
    await Promise.all(
      clients.map(async (c) => {
        const r = await c.connection.request('GET', c.cacerts, {});
        if (r.status !== 200) throw new Error(`GET ${c.cacerts}: ${r.status}`);
      }),
    );
  }
  const samples: Sample[] = [];
  let next = 0;
  let failures = 0;
  // One client's error stops the others at their next request, and every connection is closed.
  let failed = false;
  const cpuStretch = l.cpu?.start();
  const start = process.hrtime.bigint();
  const since = (t: bigint) => Number(t - start) / 1e6;
  let seconds: number;
  let cpu: Record<string, number> | undefined;
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        try {
          for (let first = true; !failed && next < batch.length; first = false) {
            const device = batch[next++];
            const t0 = process.hrtime.bigint();
            const status = await post(client.connection, client.path, device, l.csrs[c % l.csrs.length]);
            samples.push({ sentAt: since(t0), latency: Number(process.hrtime.bigint() - t0) / 1e6, first });
            if (status !== 200) failures++;
          }
        } catch (e) {
          failed = true;
          throw e;
        }
      }),
    );
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    cpu = cpuStretch?.();
  } finally {
    clients.forEach((c) => c.connection.close());
  }
  if (failures) throw new Error(`${failures} of ${batch.length} enrollments failed`);
  return { perSecond: batch.length / seconds, ...splitRun(samples), cpu };
}
