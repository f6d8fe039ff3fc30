import type { AgentStatus } from '@iis/contracts';
import { clean } from '../output';

/** How an agent stands, from its heartbeats: the same words in `idctl status` and `idctl revocations status`. */
export function agentState(a: Pick<AgentStatus, 'stale' | 'lastSeenAt' | 'lag'>): string {
  return a.stale ? `SILENT since ${clean(a.lastSeenAt)}` : a.lag === 0 ? 'up to date' : `BEHIND by ${a.lag}`;
}
