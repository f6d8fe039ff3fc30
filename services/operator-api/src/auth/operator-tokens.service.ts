import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@iis/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock, CLOCK, OperatorApiConfig } from '@iis/config';
import { OPERATOR_API_CONFIG } from '../operator-api.tokens';
import { OperatorRole, OperatorTokenEntity } from './operator-token.entity';

export interface Operator {
  id: string;
  name: string;
  role: OperatorRole;
}

export interface OperatorTokenView {
  id: string;
  name: string;
  role: OperatorRole;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

function toView(r: OperatorTokenEntity, now: Date): OperatorTokenView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const status = r.revokedAt ? 'revoked' : r.expiresAt && new Date(r.expiresAt) <= now ? 'expired' : 'active';
  return { id: r.id, name: r.name, role: r.role, createdAt: iso(r.createdAt)!, createdBy: r.createdBy ?? null, expiresAt: iso(r.expiresAt), revokedAt: iso(r.revokedAt), lastUsedAt: iso(r.lastUsedAt), status };
}

const TOKEN_PREFIX = 'iis_';
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The file the first credential is written to; `idctl` reads it from there by default. */
export function initialTokenPath(dataDir: string): string {
  return path.join(dataDir, 'operator-token');
}

@Injectable()
export class OperatorTokensService {
  private readonly logger = new Logger('operator-api.auth');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(OPERATOR_API_CONFIG) private readonly config: OperatorApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * On first start (no token exists) a security-admin token is created and written, mode
   * 0600, to the data folder; the launcher prints it once. Later starts change nothing.
   */
  async ensureInitialToken(): Promise<void> {
    const repo = this.ds.getRepository(OperatorTokenEntity);
    if ((await repo.count()) > 0) return;
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await repo.insert({ id: randomUUID(), name: 'initial-admin', role: 'security-admin', hash: hashToken(token), expiresAt: null, revokedAt: null });
    const file = initialTokenPath(this.config.dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, token + '\n', { mode: 0o600 });
    this.logger.log(`first operator credential (security-admin) written to ${file}`);
  }

  async authenticate(token: string): Promise<Operator | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const repo = this.ds.getRepository(OperatorTokenEntity);
    const row = await repo.findOneBy({ hash: hashToken(token) });
    const now = this.clock.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    // "Last used" to the minute: enough to find stale tokens, without a write per request.
    if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() > 60_000) {
      await repo.update({ id: row.id }, { lastUsedAt: now });
    }
    return { id: row.id, name: row.name, role: row.role };
  }

  /** A new token; the secret is in the reply and nowhere else, ever. */
  async create(input: { name: string; role: OperatorRole; ttlDays: number }, createdBy: string): Promise<{ token: string; view: OperatorTokenView }> {
    const repo = this.ds.getRepository(OperatorTokenEntity);
    if (await repo.exists({ where: { name: input.name, revokedAt: IsNull() } })) {
      throw new DomainError(ErrorCode.Conflict, `a live token named "${input.name}" exists; revoke it first or choose another name`);
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const row: OperatorTokenEntity = {
      id: randomUUID(),
      name: input.name,
      role: input.role,
      hash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.ttlDays * 86_400_000),
      revokedAt: null,
      createdBy,
      lastUsedAt: null,
    };
    await repo.insert(row);
    return { token, view: toView(row, now) };
  }

  async list(includeRevoked: boolean): Promise<OperatorTokenView[]> {
    const rows = await this.ds.getRepository(OperatorTokenEntity).find({ where: includeRevoked ? {} : { revokedAt: IsNull() }, order: { createdAt: 'ASC' }, take: 1000 });
    const now = this.clock.now();
    return rows.map((r) => toView(r, now));
  }

  /** Revoking twice is fine; an unknown id is a 404. A token cannot revoke itself (lock-out). */
  async revoke(id: string, by: Operator): Promise<OperatorTokenView> {
    const repo = this.ds.getRepository(OperatorTokenEntity);
    const row = await repo.findOneBy({ id });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no token with id ${id}`);
    if (row.id === by.id) throw new DomainError(ErrorCode.Conflict, 'a token cannot revoke itself; use another security-admin token');
    if (!row.revokedAt) {
      row.revokedAt = this.clock.now();
      await repo.update({ id }, { revokedAt: row.revokedAt });
    }
    return toView(row, this.clock.now());
  }
}
