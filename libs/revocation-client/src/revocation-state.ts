import { promises as fs } from 'node:fs';
import { RevocationEvent } from '@iis/contracts';
import { AgentError, AgentErrorCode } from './agent.errors';
import { AtomicFileIo, writeFileAtomic } from './atomic-file';
import { validateEventObject } from './event-validation';
import { normalizeSerial } from './serial-number';

/** One revoked certificate as the state file keeps it (keyed by its serial). */
export interface RevokedEntry {
  issuerId: string;
  reason: RevocationEvent['reason'];
  revokedAt: string;
  notAfter: string;
  deviceId: string | null;
  iccid: string | null;
  logSequence: number;
}

/** `<dir>/state.json`. */
export interface StateFile {
  version: 1;
  lastStreamSequence: number;
  revoked: Record<string, RevokedEntry>;
}

interface Held {
  /** The serial as first seen, lower case: the key in the file and in log lines. */
  serial: string;
  entry: RevokedEntry;
}

/**
 * The revoked set and how far into the stream it reaches, in memory and in one state file.
 * Both travel in the same atomic write, so after a restart the stream resumes exactly after
 * the last event whose effect was saved: nothing twice, nothing missed.
 */
export class RevocationState {
  private readonly held = new Map<string, Held>();
  private lastSeq = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly now: () => Date,
    private readonly io?: AtomicFileIo,
  ) {}

  /** A missing file is an empty state; a file that does not read back is an error naming it. */
  static async load(file: string, now: () => Date, io?: AtomicFileIo): Promise<RevocationState> {
    const state = new RevocationState(file, now, io);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return state;
      throw new AgentError(AgentErrorCode.StateCorrupt, `cannot read state file ${file}: ${(e as Error).message}`);
    }
    const corrupt = (why: string) => new AgentError(AgentErrorCode.StateCorrupt, `state file ${file} is corrupt (${why}); move it away to start from an empty state`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw corrupt('not JSON');
    }
    const raw = parsed as Partial<StateFile> | null;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt('not a JSON object');
    if (raw.version !== 1) throw corrupt(`version ${JSON.stringify(raw.version)} is not 1`);
    if (!Number.isSafeInteger(raw.lastStreamSequence) || raw.lastStreamSequence! < 0) throw corrupt('lastStreamSequence is not a whole number >= 0');
    if (typeof raw.revoked !== 'object' || raw.revoked === null || Array.isArray(raw.revoked)) throw corrupt('revoked is not an object');
    for (const [serial, entry] of Object.entries(raw.revoked)) {
      // The entry holds the event's fields, so the event's own rules check it.
      const checked = validateEventObject({ ...(entry as object), version: 1, serial, cause: '' });
      if (!checked.ok) throw corrupt(`entry ${serial}: ${checked.detail}`);
      state.remember(checked.event);
    }
    state.lastSeq = raw.lastStreamSequence!;
    return state;
  }

  get lastStreamSequence(): number {
    return this.lastSeq;
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
    return [...new Set([...this.held.values()].map((h) => h.entry.issuerId))];
  }

  /**
   * Applies one event read at `streamSequence`. True when the serial is new; a serial
   * already held is left as it is (idempotent). The position advances either way.
   */
  apply(event: RevocationEvent, streamSequence: number): boolean {
    this.advance(streamSequence);
    if (this.has(event.serial)) return false;
    this.remember(event);
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

  /** Drops entries whose certificate has expired: no TLS peer accepts it any more anyway. */
  pruneExpired(): number {
    const now = this.now().getTime();
    let dropped = 0;
    for (const [key, h] of this.held) {
      if (Date.parse(h.entry.notAfter) <= now) {
        this.held.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  toFile(): StateFile {
    const revoked: Record<string, RevokedEntry> = {};
    for (const h of this.held.values()) revoked[h.serial] = { ...h.entry };
    return { version: 1, lastStreamSequence: this.lastSeq, revoked };
  }

  /** Prunes expired entries and writes the file atomically; saves run one after another. */
  save(): Promise<void> {
    const next = this.saving.catch(() => undefined).then(async () => {
      this.pruneExpired();
      await writeFileAtomic(this.file, `${JSON.stringify(this.toFile(), null, 2)}\n`, this.io);
    });
    this.saving = next;
    return next;
  }

  private remember(event: RevocationEvent): void {
    const key = normalizeSerial(event.serial)!;
    if (this.held.has(key)) return;
    this.held.set(key, {
      serial: event.serial.toLowerCase(),
      entry: {
        issuerId: event.issuerId,
        reason: event.reason,
        revokedAt: event.revokedAt,
        notAfter: event.notAfter,
        deviceId: event.deviceId,
        iccid: event.iccid,
        logSequence: event.logSequence,
      },
    });
  }
}
