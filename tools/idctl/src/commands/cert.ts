import type { CertificateSummary } from '@iis/contracts';
import { ApiError } from '../api-client';
import { checker, parseCommandArgs, positionals, UsageError, UUID } from '../args';
import type { Command, CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { formatCertificates, json, lines } from '../output';

/**
 * Operators know devices by serial; certificates hold the device id. A value the registry knows
 * as a serial becomes that device's id; anything else is taken as a device id (a certificate
 * issued over NATS may name one the registry never held).
 */
async function deviceIdOf(ctx: CommandContext, device: string): Promise<string> {
  if (UUID.test(device)) return device;
  try {
    return (await ctx.api().getDevice(device)).id;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return device;
    throw e;
  }
}

export const certList: Command = {
  name: 'cert list',
  usage:
    'idctl cert list [--device <serial|deviceId>] [--iccid <iccid>] [--serial <hex>] [--status valid|expired|revoked] [--expires-after <ISO>] [--expires-before <ISO>] [--limit N] [--cursor <c>] [--json]',
  summary: 'search certificates by device, SIM, serial, status and expiry window, a page at a time',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      {
        device: { type: 'string' },
        iccid: { type: 'string' },
        serial: { type: 'string' },
        status: { type: 'string' },
        'expires-after': { type: 'string' },
        'expires-before': { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const q = new URLSearchParams();
    if (values.device !== undefined) q.set('deviceId', await deviceIdOf(ctx, check.text('--device', values.device)));
    if (values.iccid !== undefined) q.set('iccid', check.iccid('--iccid', values.iccid));
    if (values.serial !== undefined) q.set('serial', check.text('--serial', values.serial));
    if (values.status !== undefined) {
      if (!['valid', 'expired', 'revoked'].includes(values.status)) throw new UsageError('--status must be valid, expired or revoked', this.usage);
      q.set('status', values.status);
    }
    if (values['expires-after'] !== undefined) q.set('expiresAfter', check.text('--expires-after', values['expires-after']));
    if (values['expires-before'] !== undefined) q.set('expiresBefore', check.text('--expires-before', values['expires-before']));
    if (values.limit !== undefined) {
      if (!/^\d{1,4}$/.test(values.limit)) throw new UsageError('--limit must be a whole number from 1 to 1000', this.usage);
      q.set('limit', values.limit);
    }
    if (values.cursor !== undefined) q.set('cursor', check.text('--cursor', values.cursor));
    const reply = await ctx.api().request<{ certificates: CertificateSummary[]; nextCursor?: string | null }>('GET', `/certificates${q.size ? `?${q.toString()}` : ''}`);
    if (values.json) ctx.io.stdout(json(reply));
    else {
      ctx.io.stdout(formatCertificates(reply.certificates, ctx.deps.now()));
      if (reply.nextCursor) ctx.io.stdout(lines(`more: --cursor ${reply.nextCursor}`));
    }
    return ExitCode.Ok;
  },
};
