import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK, OperatorApiConfig } from '@iis/config';
import { OPERATOR_API_CONFIG } from '../operator-api.tokens';
import { OperatorRole, OperatorTokenEntity } from './operator-token.entity';

export interface Operator {
  id: string;
  name: string;
  role: OperatorRole;
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
    const row = await this.ds.getRepository(OperatorTokenEntity).findOneBy({ hash: hashToken(token) });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= this.clock.now())) return null;
    return { id: row.id, name: row.name, role: row.role };
  }
}
