import { checker, parseCommandArgs, positionals, UsageError } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';

interface RevocationPage {
  revocations: { sequence: number; serial: string; reason: string; revokedAt: string; deviceId: string | null; iccid: string | null; cause: string; actor: string }[];
  nextCursor: number | null;
}

export const revocationList: Command = {
  name: 'revocation list',
  usage: 'idctl revocation list [--since <ISO time>] [--device <deviceId>] [--iccid <iccid>] [--limit N] [--after <cursor>] [--json]',
  summary: 'list revocations from the revocation log, oldest first, a page at a time',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { since: { type: 'string' }, device: { type: 'string' }, iccid: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const q = new URLSearchParams();
    if (values.since !== undefined) q.set('since', check.text('--since', values.since));
    if (values.device !== undefined) q.set('deviceId', check.text('--device', values.device));
    if (values.iccid !== undefined) q.set('iccid', check.iccid('--iccid', values.iccid));
    for (const key of ['limit', 'after'] as const) {
      const v = values[key];
      if (v === undefined) continue;
      if (!/^\d{1,15}$/.test(v)) throw new UsageError(`--${key} must be a whole number`, this.usage);
      q.set(key, v);
    }
    const page = await ctx.api().request<RevocationPage>('GET', `/revocations${q.size ? `?${q.toString()}` : ''}`);
    if (values.json) ctx.io.stdout(json(page));
    else {
      const rows = page.revocations.map(
        (r) => `revoked #${r.sequence}  serial=${clean(r.serial)}  at=${clean(r.revokedAt)}  reason=${clean(r.reason)}  device=${clean(r.deviceId)}  iccid=${clean(r.iccid)}  by=${clean(r.actor)}`,
      );
      if (rows.length === 0) rows.push('no revocations');
      if (page.nextCursor !== null) rows.push(`more: --after ${page.nextCursor}`);
      ctx.io.stdout(lines(...rows));
    }
    return ExitCode.Ok;
  },
};
