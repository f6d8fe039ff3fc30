import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { validateRevocationEvent } from '@iis/revocation-client';
import { RevocationState } from '../libs/revocation-client/src/revocation-state';
import { RevocationSignatureVerifier } from '../libs/revocation-client/src/signature-verifier';
import { StreamFollower } from '../libs/revocation-client/src/stream-follower';

/**
 * `size` gateway agents as the agent runs them (StreamFollower + RevocationState, each on its
 * own NATS connection, each validating, checking the signature of and applying every event),
 * in this process. `trust` is the CA certificates (DER) the signer chains to. Reports,
 * per serial, when the last of them applied it (process.hrtime, CLOCK_MONOTONIC on Linux, so
 * comparable between processes on one machine).
 */
export class AgentPool {
  private readonly followers: StreamFollower[] = [];
  private readonly connections: NatsConnection[] = [];
  /** serial → number of agents that applied it, and when the last one did. */
  private readonly applied = new Map<string, { count: number; last: bigint }>();
  private readonly waiters = new Map<string, (last: bigint) => void>();

  constructor(
    readonly size: number,
    private readonly onAllApplied: (serial: string, last: bigint) => void = () => undefined,
  ) {}

  /** `natsUrl` may name a server per agent (the nodes of a cluster, with the agent user). */
  async start(natsUrl: string | ((agent: number) => string), dir: string, name: string, trust: Buffer[], connectWith = connectNats): Promise<void> {
    for (let i = 0; i < this.size; i++) {
      const nc = await connectWith(typeof natsUrl === 'string' ? natsUrl : natsUrl(i), `${name}-${i}`);
      this.connections.push(nc);
      const state = await RevocationState.load(path.join(dir, `${name}-${i}.json`), () => new Date());
      // One verifier per agent, as each agent has its own: the signer is checked once, then one ECDSA verification per event.
      const verifier = new RevocationSignatureVerifier(() => new Date(), (serial) => state.has(serial));
      verifier.setTrust(trust);
      let running!: () => void;
      const started = new Promise<void>((r) => (running = r));
      const follower = new StreamFollower({
        nc,
        lastSequence: () => state.lastStreamSequence,
        onMessage: (m) => {
          const checked = validateRevocationEvent(m.data, m.subject);
          if (checked.ok && verifier.verifyEvent(checked.event, checked.signature).ok && state.apply(checked.event, m.seq)) this.mark(checked.event.serial);
          else state.advance(m.seq);
        },
        prepare: async (bounds) => {
          if (bounds.lastSequence < state.lastStreamSequence) state.rewind();
        },
        onRunning: () => running(),
        log: () => undefined,
      });
      // Start after the stream's current end, as an agent restored from its state would.
      const info = await (await jetstream(nc).streams.get(Streams.revocations.name)).info();
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
    if (entry.count !== this.size) return;
    this.applied.delete(serial);
    this.onAllApplied(serial, entry.last);
    this.waiters.get(serial)?.(entry.last);
    this.waiters.delete(serial);
  }

  /** Resolves when every agent applied `serial` (call before publishing it). */
  allApplied(serial: string, timeoutMs = 10_000): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(serial);
        reject(new Error(`only ${this.applied.get(serial)?.count ?? 0} of ${this.size} agents applied ${serial}`));
      }, timeoutMs);
      this.waiters.set(serial, (last) => {
        clearTimeout(timer);
        resolve(last);
      });
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.stop()));
    await Promise.all(this.connections.map((c) => c.close().catch(() => undefined)));
  }
}
