import { checker, parseCommandArgs, positionals, UsageError, UUID } from '../args';
import type { Command } from '../context';
import { ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';

const ROLES = ['viewer', 'operator', 'security-admin', 'policy-admin'];

interface TokenView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: string;
}

function tokenLine(t: TokenView): string {
  return `token   ${clean(t.name)}  id=${clean(t.id)}  role=${clean(t.role)}  status=${clean(t.status)}  expires=${clean(t.expiresAt, 'never')}  last-used=${clean(t.lastUsedAt, 'never')}`;
}

export const tokenCreate: Command = {
  name: 'token create',
  usage: 'idctl token create --name <name> --role viewer|operator|security-admin|policy-admin [--ttl-days N] [--json]',
  summary: 'create an operator token; the secret is printed once and stored only hashed',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { name: { type: 'string' }, role: { type: 'string' }, 'ttl-days': { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const name = check.text('--name', values.name);
    const role = check.text('--role', values.role);
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, this.usage);
    let ttlDays: number | undefined;
    if (values['ttl-days'] !== undefined) {
      if (!/^\d{1,3}$/.test(values['ttl-days']) || Number(values['ttl-days']) < 1 || Number(values['ttl-days']) > 365) {
        throw new UsageError('--ttl-days must be a whole number from 1 to 365', this.usage);
      }
      ttlDays = Number(values['ttl-days']);
    }
    const reply = await ctx.api().request<{ token: string; info: TokenView }>('POST', '/tokens', { name, role, ...(ttlDays ? { ttlDays } : {}) });
    ctx.io.stdout(
      values.json
        ? json(reply)
        : lines(tokenLine(reply.info), `secret  ${reply.token}`, '        shown once: hand it over now (IDCTL_TOKEN or a 0600 file); it cannot be shown again'),
    );
    return ExitCode.Ok;
  },
};

export const tokenList: Command = {
  name: 'token list',
  usage: 'idctl token list [--all] [--json]',
  summary: 'list operator tokens (never their secrets); --all includes revoked ones',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { all: { type: 'boolean' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await ctx.api().request<{ tokens: TokenView[] }>('GET', `/tokens${values.all ? '?all=true' : ''}`);
    ctx.io.stdout(values.json ? json(reply) : reply.tokens.length === 0 ? lines('no tokens') : lines(...reply.tokens.map(tokenLine)));
    return ExitCode.Ok;
  },
};

export const tokenRevoke: Command = {
  name: 'token revoke',
  usage: 'idctl token revoke <id> [--json]',
  summary: 'revoke an operator token at once (safe to repeat)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const [id] = positionals(rest, ['<id>'], this.usage);
    if (!UUID.test(id)) throw new UsageError('<id> must be a token id (a UUID, see idctl token list)', this.usage);
    const reply = await ctx.api().request<TokenView>('DELETE', `/tokens/${encodeURIComponent(id)}`);
    ctx.io.stdout(values.json ? json(reply) : lines(tokenLine(reply)));
    return ExitCode.Ok;
  },
};
