import { parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';
import { registryApi } from './registry-api';

export const estLabelSet: Command = {
  name: 'est label set',
  usage: 'idctl est label set <name> [--key-types P-256,P-384,RSA,Ed25519] [--require-pop] [--require-approval] [--max-ttl SECONDS] [--json]',
  summary: 'create or replace an EST label (/.well-known/est/<name>/…)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { 'key-types': { type: 'string' }, 'require-pop': { type: 'boolean' }, 'require-approval': { type: 'boolean' }, 'max-ttl': { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    const [name] = positionals(rest, ['<name>'], this.usage);
    let maxTtlSeconds: number | undefined;
    if (values['max-ttl'] !== undefined) {
      maxTtlSeconds = Number(values['max-ttl']);
      if (!Number.isInteger(maxTtlSeconds) || maxTtlSeconds < 60) throw new CliError(ExitCode.Usage, '--max-ttl must be a whole number of seconds >= 60');
    }
    const label = await registryApi(ctx.api()).setLabel(name, {
      ...(values['key-types'] ? { keyTypes: values['key-types'].split(',').map((s) => s.trim()) } : {}),
      requireProofOfPossession: !!values['require-pop'],
      requireApproval: !!values['require-approval'],
      ...(maxTtlSeconds === undefined ? {} : { maxTtlSeconds }),
    });
    ctx.io.stdout(values.json ? json(label) : labelLine(label) + '\n');
    return ExitCode.Ok;
  },
};

function labelLine(l: { name: string; keyTypes: string[]; requireProofOfPossession: boolean; requireApproval: boolean; maxTtlSeconds: number | null }): string {
  return `${l.name}  keys ${l.keyTypes.join(',')}  pop ${l.requireProofOfPossession ? 'required' : 'optional'}  approval ${l.requireApproval ? 'required' : 'no'}  max-ttl ${l.maxTtlSeconds ?? '-'}`;
}

export const estLabelList: Command = {
  name: 'est label list',
  usage: 'idctl est label list [--json]',
  summary: 'list EST labels',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await registryApi(ctx.api()).listLabels();
    ctx.io.stdout(values.json ? json(reply) : lines(...reply.labels.map(labelLine)));
    return ExitCode.Ok;
  },
};

export const enrollmentList: Command = {
  name: 'enrollment list',
  usage: 'idctl enrollment list [--serial S] [--outcome issued|refused|failed|pending] [--limit N] [--json]',
  summary: 'the record of enrollment attempts, newest first: who, which authorizer, decision, serial, reason',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { serial: { type: 'string' }, outcome: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await registryApi(ctx.api()).listEnrollments({ serial: values.serial, outcome: values.outcome, limit: values.limit === undefined ? undefined : Number(values.limit) });
    ctx.io.stdout(
      values.json
        ? json(reply)
        : lines(
            ...reply.enrollments.map((r) =>
              [r.createdAt, r.operation, clean(r.label), clean(r.claimedSerial), r.outcome, clean(r.authorizer), clean(r.certificateSerial ?? r.errorCode), clean(r.reason)].join('  '),
            ),
          ),
    );
    return ExitCode.Ok;
  },
};

export const enrollmentPending: Command = {
  name: 'enrollment pending',
  usage: 'idctl enrollment pending [--status pending|approved|rejected|completed] [--json]',
  summary: 'enrollments waiting for operator approval (EST 202)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { status: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await registryApi(ctx.api()).listPending(values.status);
    ctx.io.stdout(values.json ? json(reply) : lines(...reply.pending.map((p) => [p.id, p.deviceSerial, p.label, p.status, p.createdAt].join('  '))));
    return ExitCode.Ok;
  },
};

function decideCommand(approve: boolean): Command {
  const verb = approve ? 'approve' : 'reject';
  return {
    name: `enrollment ${verb}`,
    usage: `idctl enrollment ${verb} <id> [--json]`,
    summary: approve ? "approve a pending enrollment; the device's next retry gets its certificate" : 'reject a pending enrollment; the device is refused',
    async run(argv, ctx) {
      const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
      const [id] = positionals(rest, ['<id>'], this.usage);
      const p = await registryApi(ctx.api()).decide(id, approve);
      ctx.io.stdout(values.json ? json(p) : `enrollment ${p.id} of ${p.deviceSerial} (${p.label}) is ${p.status}\n`);
      return ExitCode.Ok;
    },
  };
}

export const enrollmentApprove = decideCommand(true);
export const enrollmentReject = decideCommand(false);
