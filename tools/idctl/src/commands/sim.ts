import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { formatReportLost, formatSim, json } from '../output';

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

export const simReportLost: Command = {
  name: 'sim report-lost',
  usage: 'idctl sim report-lost <iccid> --reason "text" [--json]',
  summary: "mark a SIM lost and revoke its device's certificates (safe to repeat)",
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const check = checker(this.usage);
    const iccid = check.iccid('<iccid>', positionals(rest, ['<iccid>'], this.usage)[0]);
    const reason = check.text('--reason', values.reason);
    const reply = await ctx.api().reportSimLost(iccid, reason);
    ctx.io.stdout(values.json ? json(reply) : formatReportLost(reply));
    return ExitCode.Ok;
  },
};
