import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { formatCertificates, json } from '../output';

export const certList: Command = {
  name: 'cert list',
  usage: 'idctl cert list [--device <deviceId>] [--iccid <iccid>] [--json]',
  summary: 'list certificates issued to a device or SIM, with their state',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { device: { type: 'string' }, iccid: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const filter = {
      ...(values.device === undefined ? {} : { deviceId: check.text('--device', values.device) }),
      ...(values.iccid === undefined ? {} : { iccid: check.iccid('--iccid', values.iccid) }),
    };
    const reply = await ctx.api().listCertificates(filter);
    ctx.io.stdout(values.json ? json(reply) : formatCertificates(reply.certificates, ctx.deps.now()));
    return ExitCode.Ok;
  },
};
