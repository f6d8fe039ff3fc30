import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { formatSecret, json } from '../output';

export const secretCreate: Command = {
  name: 'secret create',
  usage: 'idctl secret create <serial> [--ttl SECONDS] [--json]',
  summary: 'create a one-time enrollment secret for a registered device',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { ttl: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const check = checker(this.usage);
    const serial = check.serial('<serial>', positionals(rest, ['<serial>'], this.usage)[0]);
    const ttl = values.ttl === undefined ? undefined : check.seconds('--ttl', values.ttl);
    const secret = await ctx.api().createSecret(serial, ttl);
    ctx.io.stdout(values.json ? json(secret) : formatSecret(secret));
    return ExitCode.Ok;
  },
};
