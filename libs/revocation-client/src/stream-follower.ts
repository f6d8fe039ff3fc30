import { ConsumerMessages, jetstream, JetStreamApiCodes, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@iis/contracts';
import type { StreamBounds } from './log-sequence';

export interface StreamFollowerOptions {
  nc: NatsConnection;
  /** The last stream sequence already applied; following resumes right after it. */
  lastSequence: () => number;
  /** Called for each message, in stream order. It must not throw. */
  onMessage: (m: JsMsg) => void;
  /**
   * Before each consumer starts, with the stream's bounds: the agent resyncs from the snapshot
   * here when it must. A rejection is logged and the follower asks again after a pause.
   */
  prepare: (bounds: StreamBounds) => Promise<void>;
  /** Called each time a consumer starts delivering. */
  onRunning: () => void;
  log: (line: string) => void;
  retryMs?: number;
}

const STREAM = Streams.revocations.name;

/**
 * Follows the revocation stream with an ordered consumer (ephemeral, no acks, in order,
 * recreated by the client after a reconnect from where it stopped). The agent only reads:
 * while the stream does not exist it asks again every second, and never creates it.
 */
export class StreamFollower {
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private restartAsked = false;

  constructor(private readonly opts: StreamFollowerOptions) {}

  start(): void {
    this.watchReconnects();
    this.loop ??= this.run().catch((e: unknown) => this.opts.log(`agent: stream follower ended: ${(e as Error)?.message ?? String(e)}`));
  }

  /** Ends the current consumer; the next one starts after `prepare` (e.g. after a gap). */
  restart(): void {
    this.restartAsked = true;
    void this.messages?.close().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    const js = jetstream(this.opts.nc);
    let waitingSaid = false;
    while (!this.stopped) {
      let messages: ConsumerMessages;
      try {
        const info = await (await js.streams.get(STREAM)).info();
        await this.opts.prepare({ firstSequence: info.state.first_seq, lastSequence: info.state.last_seq });
        if (this.stopped) break;
        const consumer = await js.consumers.get(STREAM, { opt_start_seq: this.opts.lastSequence() + 1 });
        // A callback, not the async iterator: each message is handled as its bytes are read,
        // without an iterator's promise and microtask hop per message (issue 5 fan-out).
        messages = await consumer.consume({ callback: (m) => this.opts.onMessage(m) });
      } catch (e) {
        if (isStreamNotFound(e)) {
          if (!waitingSaid) this.opts.log(`agent: stream ${STREAM} does not exist yet; asking again every second`);
          waitingSaid = true;
        } else {
          this.opts.log(`agent: cannot follow stream ${STREAM} (${(e as Error)?.message ?? String(e)}); retrying`);
        }
        await this.pause();
        continue;
      }
      this.messages = messages;
      if (this.stopped) break;
      waitingSaid = false;
      this.opts.log(`agent: following stream ${STREAM} from seq=${this.opts.lastSequence() + 1}`);
      this.opts.onRunning();
      // Resolves when the consumer ends: closed by us, or stopped with an error (onMessage threw, the consumer is gone).
      const ended = await messages.closed();
      if (ended && !this.stopped) this.opts.log(`agent: stream consumer stopped (${ended.message}); starting a new one`);
      this.messages = undefined;
      if (!this.stopped && !this.restartAsked) await this.pause();
      this.restartAsked = false;
    }
    await this.messages?.close().catch(() => undefined);
  }

  /**
   * After a reconnect the ordered consumer may have lived on the node that went away (a
   * cluster node died); waiting for its missed heartbeats can take long, so start a new one
   * right away from the last applied sequence.
   */
  private watchReconnects(): void {
    if (this.loop) return;
    void (async () => {
      for await (const s of this.opts.nc.status()) {
        if (this.stopped) return;
        if (s.type === 'reconnect') void this.messages?.close().catch(() => undefined);
      }
    })().catch(() => undefined);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.retryMs ?? 1000);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function isStreamNotFound(e: unknown): boolean {
  return e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound;
}
