import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, framework-free. Each entry's hash covers its own fields and
 * the hash of the entry before it, and sequence numbers are dense from 1: editing an entry
 * breaks its hash, deleting or inserting one breaks the sequence or the next entry's link.
 * (Cutting entries off the end is caught only against a head recorded elsewhere: `verify`
 * returns the head so an auditor can keep it.)
 */
export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_VERSION = 1;

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** The fields an entry is made of, before it is chained. */
export interface AuditFields {
  at: Date;
  actorId: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  device: string | null;
  reason: string | null;
  outcome: AuditOutcome;
  /** HTTP status of the answer. */
  status: number;
  /** A short explanation: the error code of a refusal, the policy in force. */
  detail: string | null;
}

export interface ChainedAuditEntry extends AuditFields {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Deterministic bytes for an entry: a JSON array in fixed order, time to the millisecond. */
export function canonicalEntry(seq: number, prevHash: string, f: AuditFields): string {
  return JSON.stringify([
    CHAIN_VERSION,
    seq,
    new Date(f.at).toISOString(),
    f.actorId,
    f.actor,
    f.role,
    f.action,
    f.target ?? null,
    f.device ?? null,
    f.reason ?? null,
    f.outcome,
    f.status,
    f.detail ?? null,
    prevHash,
  ]);
}

export function entryHash(seq: number, prevHash: string, f: AuditFields): string {
  return createHash('sha256').update(canonicalEntry(seq, prevHash, f), 'utf8').digest('hex');
}

/** The next link: give it the previous entry (or none for the first). */
export function chain(previous: { seq: number; hash: string } | null, fields: AuditFields): ChainedAuditEntry {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  // Time is kept to the millisecond, as both databases store it.
  const at = new Date(Math.floor(new Date(fields.at).getTime()));
  return { ...fields, at, seq, prevHash, hash: entryHash(seq, prevHash, { ...fields, at }) };
}

export interface BrokenEntry {
  seq: number;
  problem: 'hash' | 'link' | 'sequence';
  message: string;
}

/**
 * Checks entries fed in ascending order, batch by batch, and remembers the first break. The
 * entry named is the one that no longer fits: an edited entry (its hash), the one after a
 * deleted entry (sequence), or one whose link to the entry before it was changed.
 */
export class ChainVerifier {
  private last: { seq: number; hash: string } | null = null;
  private checked = 0;
  private broken: BrokenEntry | null = null;

  push(e: ChainedAuditEntry): boolean {
    if (this.broken) return false;
    const expectedSeq = this.last ? this.last.seq + 1 : 1;
    const expectedPrev = this.last ? this.last.hash : GENESIS_HASH;
    this.checked++;
    if (e.seq !== expectedSeq) {
      this.broken = { seq: e.seq, problem: 'sequence', message: `expected entry ${expectedSeq} here, found ${e.seq}: entries were deleted or inserted` };
    } else if (e.prevHash !== expectedPrev) {
      this.broken = { seq: e.seq, problem: 'link', message: `its previous-hash does not match entry ${expectedSeq - 1}` };
    } else if (entryHash(e.seq, e.prevHash, e) !== e.hash) {
      this.broken = { seq: e.seq, problem: 'hash', message: 'its content does not match its hash: the entry was edited' };
    }
    this.last = { seq: e.seq, hash: e.hash };
    return this.broken === null;
  }

  result(): { ok: boolean; checked: number; head: { seq: number; hash: string } | null; firstBroken: BrokenEntry | null } {
    return { ok: this.broken === null, checked: this.checked, head: this.last, firstBroken: this.broken };
  }
}
