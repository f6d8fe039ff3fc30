import { promises as fs } from 'node:fs';
import { RevocationEvent } from '@iis/contracts';
import { AgentError, AgentErrorCode } from './agent.errors';
import { AtomicFileIo, writeFileAtomic } from './atomic-file';
import { validateEventObject } from './event-validation';
import { normalizeSerial } from './serial-number';
import { decodeState, encodeState, isBinaryState, StateDecodeError } from './state-codec';

/** The JSON state file of earlier versions (`state.json`), still read so an upgrade keeps its set. */
interface LegacyStateFile {
  version: 1;
  lastStreamSequence: number;
  revoked: Record<string, object>;
}

/** One entry of a snapshot: what the state keeps of a revoked certificate. */
export interface HeldRevocation {
  serial: string;
  issuerId: string;
  notAfter: string;
  reason?: RevocationEvent['reason'];
  /** Not kept in the state; a resync passes it to the brokers for serials new to the set. */
  subjectCommonName?: string | null;
}

/** notAfter seconds × 2^16 + issuer index: one number per serial (exact below 2^53). */
const ISSUER_SLOTS = 65_536;

/**
 * The revoked set and how far into the stream and the revocation log it reaches, in memory
 * and in one state file. Both travel in the same atomic write, so after a restart the stream
 * resumes exactly after the last event whose effect was saved: nothing twice, nothing missed.
 *
 * Compact (issue 5): per serial one Map entry from the normalised serial to a number packing
 * its issuer and notAfter; the file is binary (state-codec.ts). Nothing else an event carries
 * is needed to enforce it.
 */
export class RevocationState {
  private readonly held = new Map<string, number>();
  private issuers: string[] = [];
  private issuerIndex = new Map<string, number>();
  private lastSeq = 0;
  private logSeq = 0;
  private snapshotSeq = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly now: () => Date,
    private readonly io?: AtomicFileIo,
  ) {}

  /**
   * A missing file is an empty state; a file that does not read back is an error naming it.
   * `legacyFile`, when `file` is missing, is a version 1 JSON state read instead.
   */
  static async load(file: string, now: () => Date, io?: AtomicFileIo, legacyFile?: string): Promise<RevocationState> {
    const state = new RevocationState(file, now, io);
    let from = file;
    let buf = await readIfThere(file);
    if (buf === undefined && legacyFile) {
      from = legacyFile;
      buf = await readIfThere(legacyFile);
    }
    if (buf === undefined) return state;
    const corrupt = (why: string) => new AgentError(AgentErrorCode.StateCorrupt, `state file ${from} is corrupt (${why}); move it away to start from an empty state`);
    if (isBinaryState(buf)) {
      try {
        const head = decodeState(buf, (serial, issuer, notAfter) => state.held.set(serial, notAfter * ISSUER_SLOTS + issuer));
        state.issuers = head.issuers;
        state.issuerIndex = new Map(head.issuers.map((id, i) => [id, i]));
        state.lastSeq = head.lastStreamSequence;
        state.logSeq = head.lastLogSequence;
        state.snapshotSeq = head.snapshotUpTo;
      } catch (e) {
        if (e instanceof StateDecodeError) throw corrupt(e.message);
        throw e;
      }
      return state;
    }
    state.loadLegacy(buf.toString('utf8'), corrupt);
    return state;
  }

  get lastStreamSequence(): number {
    return this.lastSeq;
  }

  /** The highest revocation log sequence whose effect the set holds. */
  get lastLogSequence(): number {
    return this.logSeq;
  }

  /** The log sequence of the last snapshot taken over: events up to it are covered, not replays. */
  get snapshotUpTo(): number {
    return this.snapshotSeq;
  }

  get size(): number {
    return this.held.size;
  }

  /** Serial compared as an integer: case and leading zeros do not matter. */
  has(serialHex: string): boolean {
    const key = normalizeSerial(serialHex);
    return key !== undefined && this.held.has(key);
  }

  /** Issuers that have at least one entry. */
  issuerIds(): string[] {
    const used = new Set<number>();
    for (const v of this.held.values()) used.add(v % ISSUER_SLOTS);
    return [...used].map((i) => this.issuers[i]);
  }

  /** Every held serial (normalised), for tests and the local check. */
  serials(): IterableIterator<string> {
    return this.held.keys();
  }

  /**
   * Applies one event read at `streamSequence`. True when the set changed: a new serial
   * revoked, or a held one released (RFC 5280 5.3.1 removeFromCRL ends a certificateHold).
   * A serial already held is left as it is (idempotent). The positions advance either way.
   */
  apply(event: RevocationEvent, streamSequence: number): boolean {
    this.advance(streamSequence);
    if (event.logSequence > this.logSeq) this.logSeq = event.logSequence;
    const key = normalizeSerial(event.serial)!;
    if (event.reason === 'removeFromCRL') return this.held.delete(key);
    if (this.held.has(key)) return false;
    this.hold(key, event.issuerId, event.notAfter);
    return true;
  }

  /** Records that the stream was read up to `streamSequence` (skipped messages included). */
  advance(streamSequence: number): void {
    if (streamSequence > this.lastSeq) this.lastSeq = streamSequence;
  }

  /** Starts over from the beginning of the stream, e.g. after the stream was recreated. */
  rewind(): void {
    this.lastSeq = 0;
  }

  /**
   * Replaces the whole set with a verified snapshot current to log sequence `upTo`; the
   * stream is followed again after `streamSequence` (read before the snapshot was asked for).
   */
  replaceWith(entries: Iterable<HeldRevocation>, upTo: number, streamSequence: number): void {
    this.held.clear();
    this.issuers = [];
    this.issuerIndex.clear();
    for (const e of entries) this.hold(normalizeSerial(e.serial)!, e.issuerId, e.notAfter);
    this.logSeq = upTo;
    this.snapshotSeq = upTo;
    this.lastSeq = streamSequence;
  }

  /** Drops entries whose certificate has expired: no TLS peer accepts it any more anyway. */
  pruneExpired(): number {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    let dropped = 0;
    for (const [key, v] of this.held) {
      if (Math.floor(v / ISSUER_SLOTS) <= nowSec) {
        this.held.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Prunes expired entries and writes the file atomically; saves run one after another. */
  save(): Promise<void> {
    const next = this.saving.catch(() => undefined).then(async () => {
      this.pruneExpired();
      await writeFileAtomic(this.file, this.encode(), this.io);
    });
    this.saving = next;
    return next;
  }

  private encode(): Buffer {
    const held = this.held;
    return encodeState({
      lastStreamSequence: this.lastSeq,
      lastLogSequence: this.logSeq,
      snapshotUpTo: this.snapshotSeq,
      issuers: this.issuers,
      count: held.size,
      entries: (function* () {
        for (const [serial, v] of held) yield [serial, v % ISSUER_SLOTS, Math.floor(v / ISSUER_SLOTS)] as [string, number, number];
      })(),
    });
  }

  private hold(key: string, issuerId: string, notAfter: string): void {
    let i = this.issuerIndex.get(issuerId);
    if (i === undefined) {
      i = this.issuers.length;
      if (i >= ISSUER_SLOTS) throw new Error(`more than ${ISSUER_SLOTS} issuers`);
      this.issuers.push(issuerId);
      this.issuerIndex.set(issuerId, i);
    }
    this.held.set(key, Math.ceil(Date.parse(notAfter) / 1000) * ISSUER_SLOTS + i);
  }

  private loadLegacy(text: string, corrupt: (why: string) => AgentError): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw corrupt('not JSON');
    }
    const raw = parsed as Partial<LegacyStateFile> | null;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt('not a JSON object');
    if (raw.version !== 1) throw corrupt(`version ${JSON.stringify(raw.version)} is not 1`);
    if (!Number.isSafeInteger(raw.lastStreamSequence) || raw.lastStreamSequence! < 0) throw corrupt('lastStreamSequence is not a whole number >= 0');
    if (typeof raw.revoked !== 'object' || raw.revoked === null || Array.isArray(raw.revoked)) throw corrupt('revoked is not an object');
    for (const [serial, entry] of Object.entries(raw.revoked)) {
      // The entry holds the event's fields, so the event's own rules check it.
      const checked = validateEventObject({ ...(entry as object), version: 1, serial, cause: '' });
      if (!checked.ok) throw corrupt(`entry ${serial}: ${checked.detail}`);
      const key = normalizeSerial(serial)!;
      if (!this.held.has(key)) this.hold(key, checked.event.issuerId, checked.event.notAfter);
      // Without a saved log position, the highest held one is the best guess; a gap resyncs anyway.
      if (checked.event.logSequence > this.logSeq) this.logSeq = checked.event.logSequence;
    }
    this.lastSeq = raw.lastStreamSequence!;
  }
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AgentError(AgentErrorCode.StateCorrupt, `cannot read state file ${file}: ${(e as Error).message}`);
  }
}
