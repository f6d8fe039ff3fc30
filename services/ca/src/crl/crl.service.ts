import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import { CrlReply, DomainError, ErrorCode } from '@iis/contracts';
import { buildCrlDer, RevokedEntry, toPem } from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService, LoadedIssuer } from '../hierarchy/hierarchy.service';
import { CertificateEntity } from '../issuance/certificate.entity';
import { StreamPositionEntity } from './crl-state.entity';
import { takeCrlNumbers } from './crl-numbers';

const WAIT_FOR_SEQUENCE_MS = 3000;
/** A revocation shows in the CRLs this soon (the issue asks for within a second). */
const REGENERATE_AFTER_MS = 150;

export interface GeneratedCrl {
  der: Buffer;
  pem: string;
  crlNumber: number;
  appliedSequence: number;
  thisUpdate: Date;
  nextUpdate: Date;
}

interface IssuerCrls {
  complete: GeneratedCrl;
  delta: GeneratedCrl;
  /** The complete CRL the deltas are relative to, and what it listed. */
  base: { crlNumber: number; serials: Set<string>; at: number };
}

/**
 * CRLs per issuer (RFC 5280 5): a complete CRL and a delta CRL over a base that is renewed
 * every nextUpdate interval. Both are regenerated shortly after each revocation and whenever
 * half their lifetime has passed. CRL numbers come from one counter per issuer in the
 * database, incremented atomically, so several CA instances never hand out the same number.
 */
@Injectable()
export class CrlService implements OnApplicationShutdown {
  private readonly logger = new Logger('ca.crl');
  private readonly cache = new Map<string, IssuerCrls>();
  private readonly inflight = new Map<string, Promise<IssuerCrls>>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    private readonly hierarchy: HierarchyService,
  ) {}

  /**
   * After a revocation was applied: new CRLs within REGENERATE_AFTER_MS (several revocations
   * share one). One pending regeneration per issuer; a nearer deadline replaces a later one, so
   * the direct notice and the durable apply of the same event regenerate once.
   */
  invalidate(issuerId: string, delayMs = REGENERATE_AFTER_MS): void {
    const at = Date.now() + delayMs;
    const pending = this.timers.get(issuerId);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(issuerId);
      this.regenerate(issuerId).catch((e: Error) => this.logger.error(`CRL for ${issuerId} not regenerated: ${e.message}`));
    }, delayMs);
    this.timers.set(issuerId, { timer, at });
  }

  async current(issuerId: string): Promise<GeneratedCrl> {
    return (await this.fresh(issuerId)).complete;
  }

  async currentDelta(issuerId: string): Promise<GeneratedCrl> {
    return (await this.fresh(issuerId)).delta;
  }

  /** For a subscriber that has seen stream sequence N: a CRL that includes everything up to N. */
  async forSubscriber(issuerId: string, atLeastSequence = 0): Promise<CrlReply> {
    const deadline = Date.now() + WAIT_FOR_SEQUENCE_MS;
    let applied: number;
    while ((applied = await this.appliedSequence()) < atLeastSequence) {
      if (Date.now() > deadline) throw new DomainError(ErrorCode.Unavailable, `CA has not yet applied revocation stream sequence ${atLeastSequence}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    // The cached CRL serves while it holds everything this CA has applied: agents asking on start
    // or on refresh share one CRL (and one CRL number) instead of each signing a new one.
    let crls = await this.fresh(issuerId);
    if (crls.complete.appliedSequence < applied) crls = await this.regenerate(issuerId);
    return { issuerId, crl: crls.complete.pem, crlNumber: crls.complete.crlNumber, appliedSequence: crls.complete.appliedSequence };
  }

  async appliedSequence(): Promise<number> {
    const row = await this.ds.getRepository(StreamPositionEntity).findOneBy({ id: 'revocations' });
    return row?.sequence ?? 0;
  }

  private async fresh(issuerId: string): Promise<IssuerCrls> {
    const cached = this.cache.get(issuerId);
    const now = this.clock.now().getTime();
    if (cached) {
      const half = (cached.complete.nextUpdate.getTime() - cached.complete.thisUpdate.getTime()) / 2;
      if (now < cached.complete.thisUpdate.getTime() + half) return cached;
    }
    return this.regenerate(issuerId);
  }

  /** One generation at a time per issuer; callers that arrive meanwhile share the next one. */
  private regenerate(issuerId: string): Promise<IssuerCrls> {
    const running = this.inflight.get(issuerId);
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => this.generate(issuerId));
    const tracked = next.finally(() => {
      if (this.inflight.get(issuerId) === tracked) this.inflight.delete(issuerId);
    });
    this.inflight.set(issuerId, tracked);
    return tracked;
  }

  private async generate(issuerId: string): Promise<IssuerCrls> {
    const issuer = this.hierarchy.issuer(issuerId);
    if (!issuer) throw new DomainError(ErrorCode.NotFound, `no issuer ${issuerId}`);
    const now = this.clock.now();
    const appliedSequence = await this.appliedSequence();
    const rows: Array<{ serial: string; revokedAt: string | Date; revocationReason: number | null }> = await this.ds
      .getRepository(CertificateEntity)
      .createQueryBuilder('c')
      .select(['c.serial AS serial', 'c.revokedAt AS "revokedAt"', 'c.revocationReason AS "revocationReason"'])
      .where('c.issuerId = :issuerId AND c.revokedAt IS NOT NULL AND c.notAfter > :now', { issuerId, now })
      .getRawMany();
    const entries: RevokedEntry[] = rows.map((r) => ({ serialHex: r.serial, revokedAt: toDate(r.revokedAt), reasonCode: r.revocationReason ?? 0 }));
    const previous = this.cache.get(issuerId);
    const rebase = !previous || now.getTime() - previous.base.at >= this.config.crlNextUpdateSeconds * 1000;
    const first = await takeCrlNumbers(this.ds, issuerId, 2);
    const completeNumber = first;
    const deltaNumber = first + 1;
    const base = rebase ? { crlNumber: completeNumber, serials: new Set(entries.map((e) => e.serialHex)), at: now.getTime() } : previous!.base;
    const nextUpdate = new Date(now.getTime() + this.config.crlNextUpdateSeconds * 1000);
    const deltaUrl = `${this.config.publicUrl}/crl/${issuerId}.delta.crl`;
    const complete = this.sign(issuer, { crlNumber: completeNumber, thisUpdate: now, nextUpdate, entries, freshestCrlUrl: deltaUrl }, appliedSequence);
    const delta = this.sign(issuer, { crlNumber: deltaNumber, thisUpdate: now, nextUpdate, entries: entries.filter((e) => !base.serials.has(e.serialHex)), deltaBaseCrlNumber: base.crlNumber }, appliedSequence);
    const crls = { complete, delta, base };
    this.cache.set(issuerId, crls);
    return crls;
  }

  private sign(issuer: LoadedIssuer, p: { crlNumber: number; thisUpdate: Date; nextUpdate: Date; entries: RevokedEntry[]; deltaBaseCrlNumber?: number; freshestCrlUrl?: string }, appliedSequence: number): GeneratedCrl {
    const der = buildCrlDer({ issuer: issuer.info, signer: issuer.signer, ...p });
    return { der, pem: toPem(der, 'X509 CRL'), crlNumber: p.crlNumber, appliedSequence, thisUpdate: p.thisUpdate, nextUpdate: p.nextUpdate };
  }

  onApplicationShutdown(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }
}

function toDate(v: string | Date): Date {
  if (v instanceof Date) return v;
  // SQLite hands back "YYYY-MM-DD HH:MM:SS.mmm" in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
