import type { AttestationResultView } from '@iis/contracts';
import { checker, parseCommandArgs, positionals, UUID } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { json } from '../output';
import { DeviceAttestationResults, formatAttestationList, formatAttestationResult } from './attestation-output';

export const attestationList: Command = {
  name: 'attestation list',
  usage: 'idctl attestation list --device <serial> [--limit N] [--json]',
  summary: "list a device's attestation results, passes and refusals with their reason codes",
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { device: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const serial = checker(this.usage).serial('--device', values.device);
    const qs = new URLSearchParams({ device: serial });
    if (values.limit !== undefined) {
      if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 500) throw new CliError(ExitCode.Usage, '--limit must be 1 to 500', [this.usage]);
      qs.set('limit', values.limit);
    }
    const r = await ctx.api().request<DeviceAttestationResults>('GET', `/attestation-results?${qs}`);
    ctx.io.stdout(values.json ? json(r) : formatAttestationList(r, new Date()));
    return ExitCode.Ok;
  },
};

export const attestationShow: Command = {
  name: 'attestation show',
  usage: 'idctl attestation show <id> [--json]',
  summary: 'show one attestation result: verdict, evidence, claims, reason code, expiry',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const id = checker(this.usage).text('<id>', positionals(rest, ['<id>'], this.usage)[0]);
    if (!UUID.test(id)) throw new CliError(ExitCode.Usage, '<id> must be an attestation result id (a UUID)', [this.usage]);
    const r = await ctx.api().request<AttestationResultView>('GET', `/attestation-results/${encodeURIComponent(id)}`);
    ctx.io.stdout(values.json ? json(r) : formatAttestationResult(r));
    return ExitCode.Ok;
  },
};
