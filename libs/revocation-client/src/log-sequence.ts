/**
 * Where an event stands against the revocation log position the agent holds. The log
 * sequence is dense: each committed revocation gets the next one (the revocation service
 * commits them in order).
 *
 * - apply:   the next one.
 * - covered: at or below the snapshot the agent took over; already in the set, not a replay.
 * - replay:  already applied from the stream; a second copy is rejected and counted.
 * - gap:     one or more events were never seen (e.g. the stream dropped them by max-age):
 *            the agent resyncs from the snapshot.
 */
export type LogSequenceVerdict = 'apply' | 'covered' | 'replay' | 'gap';

export function judgeLogSequence(logSequence: number, applied: number, snapshotUpTo: number): LogSequenceVerdict {
  if (logSequence <= applied) return logSequence <= snapshotUpTo ? 'covered' : 'replay';
  return logSequence === applied + 1 ? 'apply' : 'gap';
}

export interface StreamBounds {
  /** The first message the stream still holds (last + 1 when it is empty). */
  firstSequence: number;
  lastSequence: number;
}

export interface AgentPosition {
  lastStreamSequence: number;
  lastLogSequence: number;
  size: number;
}

/**
 * Why the agent must start from the snapshot before following the stream, or null when the
 * stream still holds everything after its position.
 */
export function resyncReason(position: AgentPosition, stream: StreamBounds): string | null {
  if (position.lastStreamSequence === 0 && position.lastLogSequence === 0 && position.size === 0) return 'a new agent starts from the snapshot';
  if (stream.lastSequence < position.lastStreamSequence) {
    return `the stream ends at seq ${stream.lastSequence}, before the agent's ${position.lastStreamSequence}: it was recreated`;
  }
  if (stream.firstSequence > position.lastStreamSequence + 1) {
    return `the stream starts at seq ${stream.firstSequence}: messages after the agent's ${position.lastStreamSequence} were removed`;
  }
  return null;
}
