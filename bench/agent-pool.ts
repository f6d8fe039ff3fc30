import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { Intake, takeEvent, takeLiveEvent } from '../libs/revocation-client/src/event-intake';
import { RevocationState } from '../libs/revocation-client/src/revocation-state';
import { RevocationSignatureVerifier } from '../libs/revocation-client/src/signature-verifier';
import { StreamFollower } from '../libs/revocation-client/src/stream-follower';
import { withTimeout } from './harness';

/** What a pool measured over one run: per serial when its last agent applied it, and the CPU spent. */
export interface PoolReport {
  /** serial → process.hrtime.bigint() (CLOCK_MONOTONIC, comparable between processes) as a decimal string. */
  lastApplied: Record<string, string>;
  /** This process's CPU (user + system, µs) from startRun() to the last serial applied. */
  cpuMicros: number;
}

/**
 * `size` gateway agents as the agent runs them, in this process: each on its own NATS
 * connection with its own StreamFollower, RevocationState and RevocationSignatureVerifier,
 * each taking every message through the agent's own per-event path (takeEvent: shape,
 * PS256 or ES256 signature, log sequence, apply). Nothing is shared between agents but the
 * process. `trust` is the CA certificates (DER) the signer chains to.
 *
 * During a run the pool notes, per serial, when the last of its agents applied it (the time is
 * read there, in this process) and says only that it is done (onAllApplied); the times and the
 * CPU go out once the run is over (report()).
 */
export class AgentPool {
  private readonly followers: StreamFollower[] = [];
  private readonly connections: NatsConnection[] = [];
  /** serial → how many agents applied it, and when the last one did. */
  private readonly applied = new Map<string, { count: number; last: bigint }>();
  private readonly waiters = new Map<string, () => void>();
  private cpuAtStart = process.cpuUsage();
  private cpuAtLast = this.cpuAtStart;

  constructor(
    readonly size: number,
    /** Called once all agents applied a serial (the worker process tells its parent: one small message per event). */
    private readonly onAllApplied: (serial: string) => void = () => undefined,
  ) {}

  /**
   * `natsUrl` may name a server per agent (the nodes of a cluster, with the agent user).
   * `logSequence`: the revocation log position the agents start at, as after taking a snapshot
   * over; absent, they start from the stream's beginning (a fresh suite). `nats`: connection
   * options over connectNats's own (the cluster's CA).
   */
  async start(natsUrl: string | ((agent: number) => string), dir: string, name: string, trust: Buffer[], { logSequence, nats }: { logSequence?: number; nats?: ConnectionOptions } = {}): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const nc = await connectNats(typeof natsUrl === 'string' ? natsUrl : natsUrl(i), `${name}-${i}`, nats);
      this.connections.push(nc);
      const state = await RevocationState.load(path.join(dir, `${name}-${i}.bin`), () => new Date());
      // One verifier per agent, as each agent has its own: its own signer check and key cache.
      const verifier = new RevocationSignatureVerifier(() => new Date(), (serial) => state.has(serial));
      verifier.setTrust(trust);
      if (logSequence !== undefined) {
        // Start after the stream's current end and at the log's current position, as an agent that just took the (empty) snapshot over.
        const info = await (await jetstream(nc).streams.get(Streams.revocations.name)).info();
        state.replaceWith([], logSequence, info.state.last_seq);
      }
      let running!: () => void;
      const started = new Promise<void>((r) => (running = r));
      const follower = new StreamFollower({
        nc,
        lastSequence: () => state.lastStreamSequence,
        onMessage: (m) => this.took(takeEvent(m, verifier, state)),
        onLive: (m) => {
          const intake = takeLiveEvent(m, verifier, state);
          this.took(intake);
          return intake !== undefined;
        },
        prepare: async (bounds) => {
          if (bounds.lastSequence < state.lastStreamSequence) state.rewind();
        },
        onRunning: () => running(),
        log: () => undefined,
      });
      follower.start();
      this.followers.push(follower);
      await started;
    }
  }

  private took(intake: Intake | undefined): void {
    if (intake?.kind === 'applied' && intake.changed) this.mark(intake.event.serial);
  }

  /** Forget what was noted and start counting CPU: a run begins. */
  startRun(): void {
    this.applied.clear();
    this.cpuAtStart = this.cpuAtLast = process.cpuUsage();
  }

  /** The clock is read only when the last agent of the pool applied the serial: the figure needs no other reading. */
  private mark(serial: string): void {
    let entry = this.applied.get(serial);
    if (!entry) this.applied.set(serial, (entry = { count: 0, last: 0n }));
    if (++entry.count < this.size) return;
    entry.last = process.hrtime.bigint();
    this.cpuAtLast = process.cpuUsage();
    this.onAllApplied(serial);
    this.waiters.get(serial)?.();
    this.waiters.delete(serial);
  }

  /**
   * Resolves, once every agent of the pool applied `serial`, with when the last one did
   * (process.hrtime.bigint()); rejects if that takes longer than `timeoutMs`. Ask before the
   * serial is revoked.
   */
  allApplied(serial: string, timeoutMs = 10_000): Promise<bigint> {
    const entry = this.applied.get(serial);
    if (entry && entry.count >= this.size) return Promise.resolve(entry.last);
    const applied = new Promise<bigint>((resolve) => this.waiters.set(serial, () => resolve(this.applied.get(serial)!.last)));
    return withTimeout(applied, timeoutMs, () => `only ${this.applied.get(serial)?.count ?? 0} of ${this.size} agents applied ${serial}`).finally(() => this.waiters.delete(serial));
  }

  /** After a run in which every agent applied every one of `serials` (allApplied, or onAllApplied for each). */
  async report(serials: string[]): Promise<PoolReport> {
    const missing = serials.find((s) => (this.applied.get(s)?.count ?? 0) < this.size);
    if (missing !== undefined) throw new Error(`only ${this.applied.get(missing)?.count ?? 0} of ${this.size} agents applied ${missing}`);
    const cpu = process.cpuUsage(this.cpuAtStart);
    const upToLast = this.cpuAtLast === this.cpuAtStart ? cpu : { user: this.cpuAtLast.user - this.cpuAtStart.user, system: this.cpuAtLast.system - this.cpuAtStart.system };
    return {
      lastApplied: Object.fromEntries(serials.map((s) => [s, this.applied.get(s)!.last.toString()])),
      cpuMicros: upToLast.user + upToLast.system,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.stop()));
    await Promise.all(this.connections.map((c) => c.close().catch(() => undefined)));
  }
}
