import type { RevocationEvent } from '@iis/contracts';
import { validateRevocationEvent } from './event-validation';
import { judgeLogSequence, LogSequenceVerdict } from './log-sequence';
import type { RevocationState } from './revocation-state';
import type { RevocationSignatureVerifier } from './signature-verifier';

/** One stream message as the follower hands it over (a JsMsg has these). */
export interface StreamMessage {
  data: Uint8Array;
  subject: string;
  seq: number;
}

/** What one stream message did to the state. */
export type Intake =
  /** Bad shape, bad signature or a replay: skipped, the stream position advanced past it. */
  | { kind: 'rejected'; code: string; detail: string }
  /** At or below the snapshot taken over: already in the set; the position advanced. */
  | { kind: 'covered' }
  /** Events were missed before this one: nothing applied, the position kept; resync. */
  | { kind: 'gap'; event: RevocationEvent }
  /** Applied; `changed` when the set changed (false for a serial already held). */
  | { kind: 'applied'; event: RevocationEvent; changed: boolean };

/** What one message is, before anything is changed: refused (with why), or an event and its place in the log sequence. */
type Judgement = { ok: false; code: string; detail: string } | { ok: true; event: RevocationEvent; verdict: LogSequenceVerdict };

/**
 * Shape, signature (RevocationSignatureVerifier: the signer certificate checked once, then one
 * PS256 or ES256 verification over the event), place in the log sequence; touches nothing.
 */
function judgeEvent(m: StreamMessage, verifier: RevocationSignatureVerifier, state: RevocationState): Judgement {
  const checked = validateRevocationEvent(m.data, m.subject);
  if (!checked.ok) return { ok: false, code: checked.code, detail: checked.field ? ` field=${checked.field}` : '' };
  const event = checked.event;
  const signed = verifier.verifyEvent(event, checked.signature);
  if (!signed.ok) return { ok: false, code: signed.code, detail: ` serial=${event.serial}` };
  return { ok: true, event, verdict: judgeLogSequence(event.logSequence, state.lastLogSequence, state.snapshotUpTo) };
}

/**
 * The per-event path of a gateway agent, without its side effects (logs, brokers, saves):
 * judgeEvent, then apply. The agent and the fan-out bench both run exactly this.
 */
export function takeEvent(m: StreamMessage, verifier: RevocationSignatureVerifier, state: RevocationState): Intake {
  const j = judgeEvent(m, verifier, state);
  if (!j.ok) return rejected(state, m.seq, j.code, j.detail);
  const event = j.event;
  if (j.verdict === 'replay') return rejected(state, m.seq, 'REPLAYED', ` serial=${event.serial} logSequence=${event.logSequence}`);
  if (j.verdict === 'covered') {
    state.advance(m.seq);
    return { kind: 'covered' };
  }
  if (j.verdict === 'gap') return { kind: 'gap', event };
  return { kind: 'applied', event, changed: state.apply(event, m.seq) };
}

/**
 * A live copy (Streams.revocations.liveSubject): applied only when it is exactly what the
 * stream would give next, i.e. the next stream sequence (the caller checks), a good shape and
 * signature, and the next log sequence. Anything else is undefined and touches nothing (no
 * position moves, nothing is counted): the agent reads it from the stream, where takeEvent
 * judges it once. A live copy's stream sequence comes from its subject, so it never moves the
 * position on its own.
 */
export function takeLiveEvent(m: StreamMessage, verifier: RevocationSignatureVerifier, state: RevocationState): Extract<Intake, { kind: 'applied' }> | undefined {
  const j = judgeEvent(m, verifier, state);
  if (!j.ok || j.verdict !== 'apply') return undefined;
  return { kind: 'applied', event: j.event, changed: state.apply(j.event, m.seq) };
}

function rejected(state: RevocationState, seq: number, code: string, detail: string): Intake {
  state.advance(seq);
  return { kind: 'rejected', code, detail };
}
