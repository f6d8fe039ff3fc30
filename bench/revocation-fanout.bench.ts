import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RevocationEvent, Streams } from '@iis/contracts';
import { connectNats, ensureRevocationStream } from '@iis/messaging';
import { validateRevocationEvent } from '@iis/revocation-client';
import { RevocationState } from '../libs/revocation-client/src/revocation-state';
import { StreamFollower } from '../libs/revocation-client/src/stream-follower';
import { freePort, waitForPort } from '../tools/launcher/src/ports';
import { Benchmark } from './harness';

/**
 * Revocation reach, stream part: from the JetStream publish being acknowledged (the moment
 * the revoke call returns, as the outbox relay publishes before the command answers) to
 * every subscribed agent having validated and applied the event, with the agents' own code
 * (StreamFollower + RevocationState), each agent on its own NATS connection, all in this
 * one process against a real nats-server on loopback. Figure: p99 over 50 revocations of
 * the time until the last agent applied it.
 */
const EVENTS_PER_RUN = 50;
const ISSUER = 'issuing-bench';

class AgentPool {
  private readonly followers: StreamFollower[] = [];
  private readonly connections: NatsConnection[] = [];
  /** serial → number of agents that applied it, and when the last one did. */
  private readonly applied = new Map<string, { count: number; last: bigint }>();

  constructor(readonly size: number) {}

  async start(natsUrl: string, dir: string): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const nc = await connectNats(natsUrl, `bench-agent-${i}`);
      this.connections.push(nc);
      const state = await RevocationState.load(path.join(dir, `agent-${this.size}-${i}.json`), () => new Date());
      let running!: () => void;
      const started = new Promise<void>((r) => (running = r));
      const follower = new StreamFollower({
        nc,
        lastSequence: () => state.lastStreamSequence,
        onMessage: (m) => {
          const checked = validateRevocationEvent(m.data, m.subject);
          if (checked.ok && state.apply(checked.event, m.seq)) this.mark(checked.event.serial);
          else state.advance(m.seq);
        },
        prepare: async (bounds) => {
          if (bounds.lastSequence < state.lastStreamSequence) state.rewind();
        },
        onRunning: () => running(),
        log: () => undefined,
      });
      // Start after the stream's current end, as an agent restored from its state would.
      const js = jetstream(nc);
      const info = await (await js.streams.get(Streams.revocations.name)).info();
      state.advance(info.state.last_seq);
      follower.start();
      this.followers.push(follower);
      await started;
    }
  }

  private mark(serial: string): void {
    const entry = this.applied.get(serial) ?? { count: 0, last: 0n };
    entry.count++;
    entry.last = process.hrtime.bigint();
    this.applied.set(serial, entry);
  }

  async waitAll(serial: string, timeoutMs = 10_000): Promise<bigint> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const e = this.applied.get(serial);
      if (e && e.count === this.size) return e.last;
      if (Date.now() > until) throw new Error(`only ${e?.count ?? 0} of ${this.size} agents applied ${serial}`);
      await new Promise((r) => setImmediate(r));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.stop()));
    await Promise.all(this.connections.map((c) => c.close().catch(() => undefined)));
  }
}

let serialCounter = 1;

async function publishAndWait(js: ReturnType<typeof jetstream>, pool: AgentPool): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < EVENTS_PER_RUN; i++) {
    const serial = 'a' + (serialCounter++).toString(16).padStart(8, '0');
    const event: RevocationEvent = {
      version: 1, logSequence: serialCounter, serial, issuerId: ISSUER, reason: 'keyCompromise', revokedAt: new Date().toISOString(),
      notAfter: new Date(Date.now() + 86400_000).toISOString(), deviceId: null, iccid: null, cause: 'bench', subjectCommonName: null,
    };
    await js.publish(Streams.revocations.eventSubject(ISSUER), JSON.stringify(event), { msgID: `bench-${serial}` });
    const acked = process.hrtime.bigint();
    const last = await pool.waitAll(serial);
    latencies.push(Math.max(0, Number(last - acked) / 1e6));
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
}

export async function revocationFanoutBenchmarks(): Promise<Benchmark[]> {
  let nats: ChildProcess | undefined;
  let natsUrl = '';
  let publisher: NatsConnection | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-fanout-'));
  const ensureServer = async () => {
    if (nats) return;
    const port = await freePort();
    nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'js')], { stdio: 'ignore' });
    await waitForPort(port, '127.0.0.1', 10_000);
    natsUrl = `nats://127.0.0.1:${port}`;
    publisher = await connectNats(natsUrl, 'bench-publisher');
    await ensureRevocationStream(publisher);
  };
  const sizes = [1, 10, 100, 1000];
  return sizes.map((size, i) => {
    let pool: AgentPool | undefined;
    return {
      name: `revocation-fanout-${size}-agents`,
      unit: 'ms p99',
      goal: size === 1000 ? '<= 50 ms p99 with 1,000 agents' : 'scaling curve',
      run: async () => {
        await ensureServer();
        if (!pool) {
          pool = new AgentPool(size);
          await pool.start(natsUrl, dir);
        }
        return publishAndWait(jetstream(publisher!), pool);
      },
      teardown: async () => {
        await pool?.stop();
        if (i === sizes.length - 1 || process.argv[2]) {
          await publisher?.close().catch(() => undefined);
          nats?.kill('SIGTERM');
          nats = undefined;
        }
      },
    };
  });
}
