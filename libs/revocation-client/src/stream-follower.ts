import { Consumer, ConsumerMessages, jetstream, JetStreamApiCodes, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { RevocationTick, Streams } from '@iis/contracts';
import type { StreamMessage } from './event-intake';
import type { StreamBounds } from './log-sequence';

export interface StreamFollowerOptions {
  nc: NatsConnection;
  /** The last stream sequence already applied; following resumes right after it. */
  lastSequence: () => number;
  /** Called for each message from the stream after lastSequence(), in stream order. It must not throw. */
  onMessage: (m: StreamMessage) => void;
  /**
   * A live copy that is the next message after lastSequence(): take it and say true, or say
   * false (it is not to be applied as it stands) and the follower reads it from the stream,
   * where onMessage judges it. It must not throw.
   */
  onLive: (m: StreamMessage) => boolean;
  /**
   * Before each read of the stream, with its bounds: the agent resyncs from the snapshot here
   * when it must. A rejection is logged and the follower asks again after a pause.
   */
  prepare: (bounds: StreamBounds) => Promise<void>;
  /** Called each time the follower is up to date with the stream or starts reading it. */
  onRunning: () => void;
  log: (line: string) => void;
  retryMs?: number;
  /** While up to date, about how often to ask where the stream ends even without a tick or a live copy. */
  idleCheckMs?: number;
}

const STREAM = Streams.revocations.name;
const IDLE_CHECK_MS = 30_000;

/**
 * Follows the revocation stream. An agent that is up to date holds no JetStream consumer: it
 * applies the live copies the relay publishes on core NATS after each store
 * (Streams.revocations.liveSubject, named with the stream sequence), which costs the server one
 * publish for all agents instead of one consumer delivery per agent. Anything else makes it
 * catch up from the stream with an ordered consumer (ephemeral, no acks, in order) until
 * nothing is pending, then drop the consumer again: at start, after a reconnect, a live copy
 * that is not the next one (one was lost, or it is not to be applied as it stands), a tick
 * saying the stream ends elsewhere, and every idleCheckMs. The stream stays the record; a
 * live copy only saves the wait. The agent only reads: while the stream does not exist it
 * asks again every second, and never creates it.
 */
export class StreamFollower {
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private restartAsked = false;
  /** The consumer is being closed because nothing is pending: stay idle after it. */
  private caughtUp = false;
  /** Something was seen beyond lastSequence() since the last read of the stream began. */
  private behind = false;
  private subscriptions: Subscription[] = [];
  /** Up to date and following live copies only (said once each time it becomes so). */
  private followingLive = false;

  constructor(private readonly opts: StreamFollowerOptions) {}

  start(): void {
    if (this.loop) return;
    this.watchReconnects();
    const nc = this.opts.nc;
    this.subscriptions = [
      nc.subscribe(Streams.revocations.liveSubjects, { callback: (err, msg) => void (err || this.live(msg)) }),
      nc.subscribe(Streams.revocations.tick, { callback: (err, msg) => void (err || this.tick(msg)) }),
    ];
    this.loop = this.run().catch((e: unknown) => this.opts.log(`agent: stream follower ended: ${(e as Error)?.message ?? String(e)}`));
  }

  /** Ends the current consumer; the next read starts after `prepare` (e.g. after a gap). */
  restart(): void {
    this.restartAsked = true;
    void this.messages?.close().catch(() => undefined);
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.subscriptions) s.unsubscribe();
    this.wake?.();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    const js = jetstream(this.opts.nc);
    let waitingSaid = false;
    while (!this.stopped) {
      let messages: ConsumerMessages;
      let consumer: Consumer;
      try {
        this.behind = false;
        // info(true): the info streams.get fetched, not a second request.
        const info = await (await js.streams.get(STREAM)).info(true);
        await this.opts.prepare({ firstSequence: info.state.first_seq, lastSequence: info.state.last_seq });
        if (this.stopped) break;
        this.restartAsked = false;
        waitingSaid = false;
        if (info.state.last_seq <= this.opts.lastSequence()) {
          // Up to date: nothing to read; live copies carry on from here.
          this.upToDate();
          this.opts.onRunning();
          await this.idle();
          continue;
        }
        consumer = await js.consumers.get(STREAM, { opt_start_seq: this.opts.lastSequence() + 1 });
        // A callback, not the async iterator: each message is handled as its bytes are read.
        messages = await consumer.consume({ callback: (m) => this.fromStream(m) });
      } catch (e) {
        if (isStreamNotFound(e)) {
          if (!waitingSaid) this.opts.log(`agent: stream ${STREAM} does not exist yet; asking again every second`);
          waitingSaid = true;
        } else {
          this.opts.log(`agent: cannot follow stream ${STREAM} (${(e as Error)?.message ?? String(e)}); retrying`);
        }
        await this.pause(this.opts.retryMs ?? 1000);
        continue;
      }
      this.messages = messages;
      this.followingLive = false;
      if (this.stopped) break;
      this.opts.log(`agent: catching up on stream ${STREAM} from seq=${this.opts.lastSequence() + 1}`);
      this.opts.onRunning();
      // Resolves when the consumer ends: caught up, closed by us, or stopped with an error.
      const ended = await messages.closed();
      this.messages = undefined;
      // Closing stops the pulls but leaves the consumer on the server until its inactivity
      // threshold (minutes): delete it, so an agent that is up to date holds nothing there.
      void consumer.delete().catch(() => undefined);
      if (this.caughtUp) {
        this.caughtUp = false;
        this.upToDate();
        await this.idle();
        continue;
      }
      if (ended && !this.stopped) this.opts.log(`agent: stream consumer stopped (${ended.message}); starting a new one`);
      if (!this.stopped && !this.restartAsked) await this.pause(this.opts.retryMs ?? 1000);
    }
    await this.messages?.close().catch(() => undefined);
  }

  private upToDate(): void {
    if (!this.followingLive) this.opts.log(`agent: up to date at seq=${this.opts.lastSequence()}; following live copies`);
    this.followingLive = true;
  }

  private fromStream(m: JsMsg): void {
    if (m.seq > this.opts.lastSequence()) this.opts.onMessage(m);
    // Nothing pending: close the consumer and follow live copies (anything seen beyond meanwhile set `behind`, and the next read looks again).
    if (m.info.pending === 0 && !this.restartAsked && !this.caughtUp) {
      this.caughtUp = true;
      void this.messages?.close().catch(() => undefined);
    }
  }

  private live(msg: Msg): void {
    const named = Streams.revocations.fromLiveSubject(msg.subject);
    if (!named) return;
    const seq = named.streamSequence;
    const last = this.opts.lastSequence();
    if (seq <= last) return;
    const m: StreamMessage = { data: msg.data, subject: named.eventSubject, seq };
    if (seq === last + 1 && this.opts.onLive(m)) return;
    this.seen();
  }

  private tick(msg: Msg): void {
    let lastSequence: unknown;
    try {
      // Whatever arrives is checked below: a tick is not trusted to have the shape it should.
      lastSequence = msg.json<Partial<RevocationTick> | null>()?.lastSequence;
    } catch {
      return;
    }
    if (typeof lastSequence !== 'number' || !Number.isSafeInteger(lastSequence) || lastSequence < 0) return;
    // Beyond: a live copy was lost. Before: the stream was recreated; reading it resyncs.
    if (lastSequence !== this.opts.lastSequence()) this.seen();
  }

  /** The stream holds something the agent has not applied: read it (a running consumer reads on). */
  private seen(): void {
    this.behind = true;
    if (!this.messages) this.wake?.();
  }

  /**
   * After a reconnect the consumer may have lived on the node that went away (a cluster node
   * died), and live copies published meanwhile are lost: read the stream again right away.
   */
  private watchReconnects(): void {
    void (async () => {
      for await (const s of this.opts.nc.status()) {
        if (this.stopped) return;
        if (s.type === 'reconnect') {
          this.behind = true;
          void this.messages?.close().catch(() => undefined);
          this.wake?.();
        }
      }
    })().catch(() => undefined);
  }

  /** Up to date: wait for a reason to read the stream (or the periodic check). */
  private idle(): Promise<void> {
    if (this.behind || this.restartAsked || this.stopped) return Promise.resolve();
    // Jittered (0.5-1.5 times): agents started together must not all ask the stream at once.
    return this.pause((this.opts.idleCheckMs ?? IDLE_CHECK_MS) * (0.5 + Math.random()));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function isStreamNotFound(e: unknown): boolean {
  return e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound;
}
