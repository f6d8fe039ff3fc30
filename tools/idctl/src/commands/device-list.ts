import type { DeviceView } from '@iis/contracts';
import { checker, parseCommandArgs, positionals, UsageError } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { clean, deviceLine, json, lines } from '../output';

export const deviceList: Command = {
  name: 'device list',
  usage: 'idctl device list [--status pending|active|quarantined|retired] [--class <class>] [--limit N] [--after <cursor>] [--json]',
  summary: 'list devices by serial, a page at a time, with their SIMs',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { status: { type: 'string' }, class: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const q = new URLSearchParams();
    if (values.status !== undefined) {
      if (!['pending', 'active', 'quarantined', 'retired'].includes(values.status)) throw new UsageError('--status must be pending, active, quarantined or retired', this.usage);
      q.set('status', values.status);
    }
    if (values.class !== undefined) q.set('deviceClass', check.text('--class', values.class));
    if (values.limit !== undefined) {
      if (!/^\d{1,4}$/.test(values.limit)) throw new UsageError('--limit must be a whole number from 1 to 1000', this.usage);
      q.set('limit', values.limit);
    }
    if (values.after !== undefined) q.set('after', check.text('--after', values.after));
    const page = await ctx.api().request<{ devices: DeviceView[]; nextCursor: string | null }>('GET', `/devices${q.size ? `?${q.toString()}` : ''}`);
    if (values.json) ctx.io.stdout(json(page));
    else {
      const rows = page.devices.map((d) => `${deviceLine(d)}  class=${clean(d.deviceClass)}  sim=${clean(d.sim?.iccid)}  sim-status=${clean(d.sim?.status)}`);
      if (rows.length === 0) rows.push('no devices');
      if (page.nextCursor) rows.push(`more: --after ${clean(page.nextCursor)}`);
      ctx.io.stdout(lines(...rows));
    }
    return ExitCode.Ok;
  },
};
