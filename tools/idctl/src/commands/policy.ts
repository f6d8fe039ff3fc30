import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActivationReply, DeviceDecisionsReply, GetPolicyReply, ListPoliciesReply, UploadPolicyReply } from '@iis/contracts';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { json } from '../output';
import { formatActivation, formatExplain, formatPolicyList, formatUpload } from './policy-output';

function versionArg(raw: string, usage: string): string {
  if (raw !== 'active' && !/^\d{1,9}$/.test(raw)) throw new CliError(ExitCode.Usage, `<version> must be a number or "active", got "${raw.slice(0, 40)}"`, [usage]);
  return raw;
}

export const policyList: Command = {
  name: 'policy list',
  usage: 'idctl policy list [--json]',
  summary: 'list policy versions, the active one and the activation history',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const r = await ctx.api().request<ListPoliciesReply>('GET', '/policies');
    ctx.io.stdout(values.json ? json(r) : formatPolicyList(r));
    return ExitCode.Ok;
  },
};

export const policyShow: Command = {
  name: 'policy show',
  usage: 'idctl policy show [<version>|active]',
  summary: 'print a policy document (JSON)',
  async run(argv, ctx) {
    const { positionals: rest } = parseCommandArgs(argv, {}, this.usage);
    const version = versionArg(rest.length ? positionals(rest, ['<version>'], this.usage)[0] : 'active', this.usage);
    const r = await ctx.api().request<GetPolicyReply>('GET', `/policies/${encodeURIComponent(version)}`);
    ctx.io.stdout(json(r.document));
    return ExitCode.Ok;
  },
};

export const policyUpload: Command = {
  name: 'policy upload',
  usage: 'idctl policy upload <file.json> [--activate] [--reason "text"] [--json]',
  summary: 'validate and store a policy document as a new version (optionally activate it)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { activate: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const file = positionals(rest, ['<file.json>'], this.usage)[0];
    const reason = values.reason === undefined ? undefined : checker(this.usage).text('--reason', values.reason);
    let document: unknown;
    try {
      document = JSON.parse(fs.readFileSync(path.resolve(ctx.deps.cwd(), file), 'utf8'));
    } catch (e) {
      throw new CliError(ExitCode.Usage, `cannot read a JSON policy from ${file}: ${(e as Error).message}`);
    }
    const r = await ctx.api().request<UploadPolicyReply>('POST', '/policies', { document, activate: values.activate === true, ...(reason ? { reason } : {}) });
    ctx.io.stdout(values.json ? json(r) : formatUpload(r));
    return ExitCode.Ok;
  },
};

export const policyActivate: Command = {
  name: 'policy activate',
  usage: 'idctl policy activate <version> [--reason "text"] [--json]',
  summary: 'make a stored policy version the active one (recorded with you as the actor)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const version = positionals(rest, ['<version>'], this.usage)[0];
    if (!/^\d{1,9}$/.test(version)) throw new CliError(ExitCode.Usage, `<version> must be a number, got "${version.slice(0, 40)}"`, [this.usage]);
    const reason = values.reason === undefined ? undefined : checker(this.usage).text('--reason', values.reason);
    const r = await ctx.api().request<ActivationReply>('POST', `/policies/${version}/activate`, reason ? { reason } : {});
    ctx.io.stdout(values.json ? json(r) : `${formatActivation(r.activation)}\n`);
    return ExitCode.Ok;
  },
};

export const policyRollback: Command = {
  name: 'policy rollback',
  usage: 'idctl policy rollback [--reason "text"] [--json]',
  summary: 'go back to the policy version that was active before the current one',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { reason: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reason = values.reason === undefined ? undefined : checker(this.usage).text('--reason', values.reason);
    const r = await ctx.api().request<ActivationReply>('POST', '/policies/rollback', reason ? { reason } : {});
    ctx.io.stdout(values.json ? json(r) : `${formatActivation(r.activation)}\n`);
    return ExitCode.Ok;
  },
};

export const deviceExplain: Command = {
  name: 'device explain',
  usage: 'idctl device explain <serial> [--limit N] [--json]',
  summary: "show a device's latest policy decisions and why, in words",
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { limit: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const serial = checker(this.usage).serial('<serial>', positionals(rest, ['<serial>'], this.usage)[0]);
    let qs = '';
    if (values.limit !== undefined) {
      if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 100) throw new CliError(ExitCode.Usage, '--limit must be 1 to 100', [this.usage]);
      qs = `?limit=${values.limit}`;
    }
    const r = await ctx.api().request<DeviceDecisionsReply & { serial: string }>('GET', `/devices/${encodeURIComponent(serial)}/decisions${qs}`);
    ctx.io.stdout(values.json ? json(r) : formatExplain(r));
    return ExitCode.Ok;
  },
};

export const policyCommands: Command[] = [policyList, policyShow, policyUpload, policyActivate, policyRollback, deviceExplain];
