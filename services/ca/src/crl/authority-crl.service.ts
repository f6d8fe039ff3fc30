import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode } from '@iis/contracts';
import { toPem } from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { AuthorityCrlEntity } from './authority-crl.entity';
import { issueAuthorityCrl, ONLINE_ARL_DAYS, storedAuthorityCrl } from './authority-crl';

export interface AuthorityCrl {
  der: Buffer;
  pem: string;
  crlNumber: number;
  nextUpdate: Date;
}

/**
 * Serves the root's ARL: the stored one while it is in the first half of its life, a new one
 * when the root key is online, and the stored one (even past nextUpdate, with a warning) when
 * the root is offline, since nothing else can sign it.
 */
@Injectable()
export class AuthorityCrlService {
  private readonly logger = new Logger('ca.arl');
  private inflight: Promise<AuthorityCrlEntity> | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    private readonly hierarchy: HierarchyService,
  ) {}

  isRoot(issuerId: string): boolean {
    return issuerId === this.hierarchy.rootId();
  }

  async current(): Promise<AuthorityCrl> {
    const rootId = this.hierarchy.rootId();
    const stored = await storedAuthorityCrl(this.ds, rootId);
    const now = this.clock.now().getTime();
    if (stored && now < (stored.thisUpdate.getTime() + stored.nextUpdate.getTime()) / 2) return view(stored);
    try {
      this.inflight ??= issueAuthorityCrl(this.ds, this.config.keyPassphrase, this.clock.now(), ONLINE_ARL_DAYS).finally(() => (this.inflight = undefined));
      return view(await this.inflight);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === ErrorCode.Conflict)) throw e;
      if (!stored) throw new DomainError(ErrorCode.NotFound, `root ${rootId} is offline and has no ARL: import its key (ca-admin import-root-key), then remove it again to sign one`);
      if (now >= stored.nextUpdate.getTime()) this.logger.warn(`the ARL of offline root ${rootId} expired at ${stored.nextUpdate.toISOString()}: bring the root key online to sign a new one`);
      return view(stored);
    }
  }
}

function view(row: AuthorityCrlEntity): AuthorityCrl {
  const der = Buffer.from(row.crl, 'base64');
  return { der, pem: toPem(der, 'X509 CRL'), crlNumber: row.crlNumber, nextUpdate: new Date(row.nextUpdate) };
}
