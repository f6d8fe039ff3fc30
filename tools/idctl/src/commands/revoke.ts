import { RevocationReasons } from '@iis/contracts';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { json } from '../output';
import { agentState } from './agent-state';

const TARGETS = ['serial', 'device', 'iccid', 'issuer'] as const;
const REASONS = Object.keys(RevocationReasons).filter((r) => r !== 'certificateHold' && r !== 'removeFromCRL');

export const revoke: Command = {
  name: 'revoke',
  usage: `idctl revoke (--serial HEX | --device DEVICE_ID | --iccid ICCID | --issuer ISSUER_ID) --reason REASON [--comment TEXT] [--json]\n      REASON: ${REASONS.join(', ')}`,
  summary: 'revoke the unexpired certificates of a serial, device, SIM or issuer (safe to repeat)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      {
        serial: { type: 'string' },
        device: { type: 'string' },
        iccid: { type: 'string' },
        issuer: { type: 'string' },
        reason: { type: 'string' },
        comment: { type: 'string' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const given = TARGETS.filter((t) => values[t] !== undefined);
    if (given.length !== 1) throw new CliError(ExitCode.Usage, 'give exactly one of --serial, --device, --iccid, --issuer', [this.usage]);
    const reason = check.text('--reason', values.reason);
    if (!REASONS.includes(reason)) throw new CliError(ExitCode.Usage, `--reason must be one of ${REASONS.join(', ')}`);
    const value = check.text(`--${given[0]}`, values[given[0]] as string);
    const key = { serial: 'serial', device: 'deviceId', iccid: 'iccid', issuer: 'issuerId' }[given[0]];
    const reply = await ctx.api().revoke({ [key]: value, reason, ...(values.comment ? { comment: values.comment as string } : {}) });
    if (values.json) {
      ctx.io.stdout(json(reply));
    } else {
      const lines = reply.revoked.map((r) => `revoked ${r.serial}  issuer=${r.issuerId}  seq=${r.sequence}`);
      for (const s of reply.alreadyRevoked) lines.push(`already revoked ${s}; nothing changed`);
      ctx.io.stdout(lines.join('\n') + '\n');
    }
    return ExitCode.Ok;
  },
};

export const revocationsStatus: Command = {
  name: 'revocations status',
  usage: 'idctl revocations status [--json]',
  summary: 'gateway agents: the revocation each has applied, its lag, silent ones marked',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await ctx.api().revocationAgents();
    if (values.json) {
      ctx.io.stdout(json(reply));
      return ExitCode.Ok;
    }
    const lines = [`revocation stream at seq ${reply.streamLastSequence}; ${reply.agents.length} agent(s)`];
    for (const a of reply.agents) {
      lines.push(`agent ${a.name}  applied=${a.lastStreamSequence}  lag=${a.lag}  revoked=${a.revokedCount}  ${agentState(a)}`);
    }
    ctx.io.stdout(lines.join('\n') + '\n');
    return ExitCode.Ok;
  },
};
