import * as fs from 'node:fs';
import { checker, parseCommandArgs, positionals, UsageError, UUID } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';

const ROLES = ['viewer', 'operator', 'security-admin', 'policy-admin'];

interface CertView {
  id: string;
  name: string;
  role: string;
  fingerprint: string;
  serial: string;
  notAfter: string;
  status: string;
}

const certLine = (c: CertView) =>
  `opcert  ${clean(c.name)}  id=${clean(c.id)}  role=${clean(c.role)}  status=${clean(c.status)}  serial=${clean(c.serial)}  until=${clean(c.notAfter)}  sha256=${clean(c.fingerprint)}`;

export const operatorCertAdd: Command = {
  name: 'operator-cert add',
  usage: 'idctl operator-cert add --name <name> --role viewer|operator|security-admin|policy-admin --cert <file.pem> [--json]',
  summary: "bind a client certificate from the suite's CA to an operator name and role (for the mTLS listener)",
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { name: { type: 'string' }, role: { type: 'string' }, cert: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const name = check.text('--name', values.name);
    const role = check.text('--role', values.role);
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, this.usage);
    const file = check.text('--cert', values.cert);
    let certificate: string;
    try {
      certificate = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(ExitCode.Usage, `cannot read --cert ${clean(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const reply = await ctx.api().request<CertView>('POST', '/operator-certificates', { name, role, certificate });
    ctx.io.stdout(values.json ? json(reply) : lines(certLine(reply)));
    return ExitCode.Ok;
  },
};

export const operatorCertList: Command = {
  name: 'operator-cert list',
  usage: 'idctl operator-cert list [--json]',
  summary: 'list operator client certificates and their roles',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await ctx.api().request<{ certificates: CertView[] }>('GET', '/operator-certificates');
    ctx.io.stdout(values.json ? json(reply) : reply.certificates.length === 0 ? lines('no operator certificates') : lines(...reply.certificates.map(certLine)));
    return ExitCode.Ok;
  },
};

export const operatorCertRemove: Command = {
  name: 'operator-cert remove',
  usage: 'idctl operator-cert remove <id> [--json]',
  summary: 'unbind an operator certificate: it stops working at once',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const [id] = positionals(rest, ['<id>'], this.usage);
    if (!UUID.test(id)) throw new UsageError('<id> must be an id from idctl operator-cert list', this.usage);
    const reply = await ctx.api().request<CertView>('DELETE', `/operator-certificates/${encodeURIComponent(id)}`);
    ctx.io.stdout(values.json ? json(reply) : lines(certLine(reply)));
    return ExitCode.Ok;
  },
};
