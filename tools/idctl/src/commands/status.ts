import type { AgentStatus } from '@iis/contracts';
import { parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';
import { agentState } from './agent-state';

interface StatusReply {
  at: string;
  devicesByStatus: Record<string, number> | null;
  simsByStatus: Record<string, number> | null;
  certificates: { valid: number; expiringSoon: number; revokedSince: number; expiringWithinSeconds: number } | null;
  revocationStreamLastSequence: number | null;
  agents: AgentStatus[] | null;
  unavailable: string[];
}

const counts = (m: Record<string, number> | null) =>
  m === null ? 'unavailable' : Object.keys(m).length === 0 ? 'none' : Object.entries(m).map(([k, v]) => `${clean(k)}=${v}`).join('  ');

export const status: Command = {
  name: 'status',
  usage: 'idctl status [--json]',
  summary: 'fleet summary: devices and SIMs by status, certificates expiring soon, revocations in the last day, agents and their lag',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const s = await ctx.api().request<StatusReply>('GET', '/status');
    if (values.json) {
      ctx.io.stdout(json(s));
      return ExitCode.Ok;
    }
    const c = s.certificates;
    const rows = [
      `devices ${counts(s.devicesByStatus)}`,
      `sims    ${counts(s.simsByStatus)}`,
      c === null
        ? 'certs   unavailable'
        : `certs   valid=${c.valid}  expiring-within-${Math.round(c.expiringWithinSeconds / 86400)}d=${c.expiringSoon}  revoked-last-24h=${c.revokedSince}`,
      `stream  revocation-events=${s.revocationStreamLastSequence ?? 'unavailable'}`,
      ...(s.agents === null
        ? ['agents  unavailable']
        : s.agents.length === 0
          ? ['agents  none has reported']
          : s.agents.map((a) => `agent   ${clean(a.name)}  applied=${a.lastStreamSequence}  lag=${a.lag}  ${agentState(a)}`)),
      ...s.unavailable.map((u) => `warning ${clean(u)} did not answer`),
    ];
    ctx.io.stdout(lines(...rows));
    return ExitCode.Ok;
  },
};
