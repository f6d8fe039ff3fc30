import type { AgentHeartbeat } from '@iis/contracts';

/** A heartbeat as sent by an agent; anything else is dropped (and counted by the caller). */
export function parseHeartbeat(raw: unknown): AgentHeartbeat | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const h = raw as Record<string, unknown>;
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (typeof h.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(h.name)) return null;
  if (!count(h.lastStreamSequence) || !count(h.revokedCount) || !count(h.rejected)) return null;
  if (typeof h.at !== 'string' || Number.isNaN(Date.parse(h.at))) return null;
  return { name: h.name, lastStreamSequence: h.lastStreamSequence as number, revokedCount: h.revokedCount as number, rejected: h.rejected as number, at: h.at };
}

/** Lag and staleness of one agent against the stream's last sequence. */
export function agentLag(streamLast: number, applied: number, lastSeen: Date, now: Date, staleAfterMs: number): { lag: number; stale: boolean } {
  return { lag: Math.max(0, streamLast - applied), stale: now.getTime() - lastSeen.getTime() > staleAfterMs };
}
