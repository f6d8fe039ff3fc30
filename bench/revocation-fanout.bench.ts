import { ChildProcess, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RevocationEvent, Streams } from '@iis/contracts';
import { connectNats, ensureRevocationStream } from '@iis/messaging';
import { freePort, waitForPort } from '../tools/launcher/src/ports';
import { FakeCa } from '../libs/revocation-client/src/testing/fake-ca';
import { AgentPool } from './agent-pool';
import { Benchmark, WARMUP_RUNS } from './harness';

/**
 * Revocation reach, stream part: from the JetStream publish being acknowledged (the moment
 * the revoke call returns, as the outbox relay publishes before the command answers) to
 * every subscribed agent having validated, signature-checked (ECDSA P-256) and applied the
 * event, with the agents' own code
 * (StreamFollower + RevocationState, bench/agent-pool.ts), each agent on its own NATS
 * connection, against a real nats-server on loopback. Two layouts at 1, 10, 100 and 1,000
 * agents: all agents in this one process (which also publishes), and the agents spread over
 * worker processes (the publisher alone here). Figure: p99 over 50 revocations of the time
 * until the last agent applied it.
 */
const EVENTS_PER_RUN = 50;
const ISSUER = 'issuing-bench';
/** One worker process per core (at least two): more than that only adds scheduling on a small machine. */
const MAX_WORKERS = Math.max(2, os.cpus().length);

/** Agents somewhere; `expect` before publishing, resolves with when the last agent applied. */
interface Fleet {
  expect(serial: string): Promise<bigint>;
  stop(): Promise<void>;
}

/** The CA the events' signer chains to: its certificates are every agent's trust. */
interface Signing {
  trust: Buffer[];
  sign: (e: RevocationEvent) => object;
}

async function inProcessFleet(size: number, natsUrl: string, dir: string, signing: Signing): Promise<Fleet> {
  const pool = new AgentPool(size);
  await pool.start(natsUrl, dir, `agent-${size}`, signing.trust);
  return { expect: (serial) => pool.allApplied(serial), stop: () => pool.stop() };
}

/** `size` agents over `workers` child processes, each an AgentPool (bench/agent-pool-process.ts). */
async function processFleet(size: number, workers: number, natsUrl: string, dir: string, signing: Signing): Promise<Fleet> {
  const pending = new Map<string, { left: number; last: bigint; resolve: (last: bigint) => void }>();
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    const share = Math.floor(size / workers) + (w < size % workers ? 1 : 0);
    const child = fork(path.join(__dirname, 'agent-pool-process.js'), [natsUrl, dir, String(share), `proc-${size}-${w}`, signing.trust.map((d) => d.toString('base64')).join(',')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.on('message', (m: { ready?: boolean; serial?: string; last?: string }) => {
          if (m.ready) return resolve();
          const p = pending.get(m.serial!);
          if (!p) return;
          if (BigInt(m.last!) > p.last) p.last = BigInt(m.last!);
          if (--p.left === 0) {
            pending.delete(m.serial!);
            p.resolve(p.last);
          }
        });
        child.once('exit', (code) => reject(new Error(`agent worker ${w} exited (${code})`)));
      }),
    );
  }
  process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  await Promise.all(ready);
  return {
    expect: (serial) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not every worker applied ${serial}`)), 10_000);
        pending.set(serial, { left: workers, last: 0n, resolve: (last) => (clearTimeout(timer), resolve(last)) });
      }),
    stop: async () => {
      await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.disconnect()))));
    },
  };
}

let serialCounter = 1;

async function publishAndWait(js: ReturnType<typeof jetstream>, fleet: Fleet, signing: Signing): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < EVENTS_PER_RUN; i++) {
    const serial = 'a' + (serialCounter++).toString(16).padStart(8, '0');
    const event: RevocationEvent = {
      version: 1, logSequence: serialCounter, serial, issuerId: ISSUER, reason: 'keyCompromise', revokedAt: new Date().toISOString(),
      notAfter: new Date(Date.now() + 86400_000).toISOString(), deviceId: null, iccid: null, cause: 'bench', subjectCommonName: null,
    };
    const applied = fleet.expect(serial);
    // Signed as the revocation service signs (ECDSA P-256, signer certificate carried along).
    await js.publish(Streams.revocations.eventSubject(ISSUER), JSON.stringify(signing.sign(event)), { msgID: `bench-${serial}` });
    const acked = process.hrtime.bigint();
    const last = await applied;
    latencies.push(Math.max(0, Number(last - acked) / 1e6));
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
}

function median(xs: number[] | undefined): string {
  if (!xs?.length) return 'not measured';
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(2)} ms p99 median`;
}

export async function revocationFanoutBenchmarks(): Promise<Benchmark[]> {
  let nats: ChildProcess | undefined;
  let natsUrl = '';
  let publisher: NatsConnection | undefined;
  let signing: Signing | undefined;
  // Made when a run needs it: building the list of benchmarks must not touch the disk.
  let dir = '';
  const ensureServer = async () => {
    if (nats) return;
    dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-fanout-'));
    const port = await freePort();
    nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'js')], { stdio: 'ignore' });
    await waitForPort(port, '127.0.0.1', 10_000);
    natsUrl = `nats://127.0.0.1:${port}`;
    publisher = await connectNats(natsUrl, 'bench-publisher');
    await ensureRevocationStream(publisher);
    const ca = await FakeCa.create();
    const signer = await ca.signer();
    signing = { trust: ca.caCerts().certificates.map((b64) => Buffer.from(b64, 'base64')), sign: (e) => signer.signEvent(e) };
  };
  const sizes = [1, 10, 100, 1000];
  /** The in-one-process figures of this run, by size, shown beside the multi-process ones. */
  const oneProcess = new Map<number, number[]>();
  const layouts = [
    { kind: 'one-process', name: (size: number) => `revocation-fanout-${size}-agents` },
    { kind: 'processes', name: (size: number) => `revocation-fanout-procs-${size}-agents` },
  ] as const;
  const all = layouts.flatMap((layout) => sizes.map((size) => ({ layout, size })));
  return all.map(({ layout, size }, i) => {
    let fleet: Fleet | undefined;
    const workers = Math.min(size, MAX_WORKERS);
    return {
      name: layout.name(size),
      unit: 'ms p99',
      goal: size === 1000 ? '<= 50 ms p99 with 1,000 agents' : 'scaling curve',
      run: async () => {
        await ensureServer();
        fleet ??= layout.kind === 'one-process' ? await inProcessFleet(size, natsUrl, dir, signing!) : await processFleet(size, workers, natsUrl, dir, signing!);
        const p99 = await publishAndWait(jetstream(publisher!), fleet, signing!);
        if (layout.kind === 'one-process') oneProcess.set(size, [...(oneProcess.get(size) ?? []), p99]);
        return p99;
      },
      get reference() {
        return layout.kind === 'one-process'
          ? 'agents and publisher share this process (one core at most)'
          : `${workers} worker process${workers > 1 ? 'es' : ''} on ${os.cpus().length} cores, publisher apart; all in one process: ${median(oneProcess.get(size)?.slice(WARMUP_RUNS))} (same run)`;
      },
      teardown: async () => {
        await fleet?.stop();
        fleet = undefined;
        if (i === all.length - 1 || process.argv[2]) {
          await publisher?.close().catch(() => undefined);
          const stopped = nats ? new Promise((r) => nats!.once('exit', r)) : undefined;
          nats?.kill('SIGTERM');
          nats = undefined;
          await stopped;
          if (dir) fs.rmSync(dir, { recursive: true, force: true });
          dir = '';
        }
      },
    };
  });
}
