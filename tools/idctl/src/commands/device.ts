import type { CreateSecretReply } from '@iis/contracts';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { formatDevice, formatDeviceAdded, json } from '../output';

export const deviceAdd: Command = {
  name: 'device add',
  usage: 'idctl device add --serial S --iccid I --imsi M --imei E [--class C] [--no-secret] [--json]',
  summary: 'register a device bound to its SIM, then print a one-time enrollment secret',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      {
        serial: { type: 'string' },
        iccid: { type: 'string' },
        imsi: { type: 'string' },
        imei: { type: 'string' },
        class: { type: 'string' },
        'no-secret': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const serial = check.serial('--serial', values.serial);
    const sim = { iccid: check.iccid('--iccid', values.iccid), imsi: check.imsi('--imsi', values.imsi), imei: check.imei('--imei', values.imei) };
    const deviceClass = values.class === undefined ? undefined : check.text('--class', values.class);

    const api = ctx.api();
    const device = await api.registerDevice({ serial, ...(deviceClass === undefined ? {} : { deviceClass }), sim });
    let secret: CreateSecretReply | null = null;
    if (!values['no-secret']) {
      try {
        secret = await api.createSecret(device.serial);
      } catch (e) {
        // The device exists now: show it, and say how to get the secret, so nobody registers it twice.
        ctx.io.stdout(values.json ? json({ device, secret: null }) : formatDeviceAdded(device, null));
        if (e instanceof CliError) {
          throw new CliError(e.exitCode, e.message, [
            ...e.hints,
            `device ${device.serial} was registered, but it has no enrollment secret yet; run: idctl secret create ${device.serial}`,
          ]);
        }
        throw e;
      }
    }
    ctx.io.stdout(values.json ? json({ device, secret }) : formatDeviceAdded(device, secret));
    return ExitCode.Ok;
  },
};

export const deviceShow: Command = {
  name: 'device show',
  usage: 'idctl device show <serial> [--json]',
  summary: 'show a device, its status and its SIM',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const [raw] = positionals(rest, ['<serial>'], this.usage);
    const serial = checker(this.usage).serial('<serial>', raw);
    const device = await ctx.api().getDevice(serial);
    ctx.io.stdout(values.json ? json(device) : formatDevice(device));
    return ExitCode.Ok;
  },
};
