import type { ApiClient } from '../api-client';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { formatReportLost, formatResume, formatSim, formatSuspend, json } from '../output';

export const simShow: Command = {
  name: 'sim show',
  usage: 'idctl sim show <iccid> [--json]',
  summary: 'show a SIM, its status and the device it is bound to',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const iccid = checker(this.usage).iccid('<iccid>', positionals(rest, ['<iccid>'], this.usage)[0]);
    const sim = await ctx.api().getSim(iccid);
    ctx.io.stdout(values.json ? json(sim) : formatSim(sim));
    return ExitCode.Ok;
  },
};

/** A command on one SIM that needs a reason: report-lost, suspend. */
function simCommandWithReason<R>(name: string, summary: string, call: (api: ApiClient, iccid: string, reason: string) => Promise<R>, format: (r: R) => string): Command {
  return {
    name,
    usage: `idctl ${name} <iccid> --reason "text" [--json]`,
    summary,
    async run(argv, ctx) {
      const { values, positionals: rest } = parseCommandArgs(argv, { reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
      const check = checker(this.usage);
      const iccid = check.iccid('<iccid>', positionals(rest, ['<iccid>'], this.usage)[0]);
      const reply = await call(ctx.api(), iccid, check.text('--reason', values.reason));
      ctx.io.stdout(values.json ? json(reply) : format(reply));
      return ExitCode.Ok;
    },
  };
}

export const simReportLost = simCommandWithReason(
  'sim report-lost',
  "mark a SIM lost and revoke its device's certificates (safe to repeat)",
  (api, iccid, reason) => api.reportSimLost(iccid, reason),
  formatReportLost,
);

export const simSuspend = simCommandWithReason(
  'sim suspend',
  'suspend a SIM: enrollment refused, its certificates on hold (certificateHold; safe to repeat)',
  (api, iccid, reason) => api.suspendSim(iccid, reason),
  formatSuspend,
);

export const simResume: Command = {
  name: 'sim resume',
  usage: 'idctl sim resume <iccid> [--reason "text"] [--json]',
  summary: 'end a suspension: holds released (removeFromCRL), the SIM active again',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const check = checker(this.usage);
    const iccid = check.iccid('<iccid>', positionals(rest, ['<iccid>'], this.usage)[0]);
    const reason = values.reason === undefined ? undefined : check.text('--reason', values.reason);
    const reply = await ctx.api().resumeSim(iccid, reason);
    ctx.io.stdout(values.json ? json(reply) : formatResume(reply));
    return ExitCode.Ok;
  },
};
