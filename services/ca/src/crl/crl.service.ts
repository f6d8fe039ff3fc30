import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan, Not } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { CrlReply, DomainError, ErrorCode } from '@iis/contracts';
import { buildCrl, toPem } from '@iis/pki';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { CertificateEntity } from '../issuance/certificate.entity';
import { CrlStateEntity, StreamPositionEntity } from './crl-state.entity';

const NEXT_UPDATE_MS = 60 * 60_000;
const WAIT_FOR_SEQUENCE_MS = 3000;

export interface GeneratedCrl {
  der: Buffer;
  pem: string;
  crlNumber: number;
  appliedSequence: number;
}

/** CRLs per issuer (RFC 5280 5): every revoked, unexpired certificate, a growing CRL number. */
@Injectable()
export class CrlService {
  private readonly cache = new Map<string, GeneratedCrl>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hierarchy: HierarchyService,
  ) {}

  /** Called after a revocation was applied: the next request builds a fresh CRL. */
  invalidate(issuerId: string): void {
    this.cache.delete(issuerId);
  }

  async current(issuerId: string): Promise<GeneratedCrl> {
    const cached = this.cache.get(issuerId);
    if (cached) return cached;
    const generated = await this.generate(issuerId);
    this.cache.set(issuerId, generated);
    return generated;
  }

  /** For a subscriber that has seen stream sequence N: a CRL that includes everything up to N. */
  async forSubscriber(issuerId: string, atLeastSequence = 0): Promise<CrlReply> {
    const deadline = Date.now() + WAIT_FOR_SEQUENCE_MS;
    while ((await this.appliedSequence()) < atLeastSequence) {
      if (Date.now() > deadline) throw new DomainError(ErrorCode.Unavailable, `CA has not yet applied revocation stream sequence ${atLeastSequence}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    this.invalidate(issuerId);
    const crl = await this.current(issuerId);
    return { issuerId, crl: crl.pem, crlNumber: crl.crlNumber, appliedSequence: crl.appliedSequence };
  }

  async appliedSequence(): Promise<number> {
    const row = await this.ds.getRepository(StreamPositionEntity).findOneBy({ id: 'revocations' });
    return row?.sequence ?? 0;
  }

  private async generate(issuerId: string): Promise<GeneratedCrl> {
    const issuer = this.hierarchy.issuer(issuerId);
    if (!issuer) throw new DomainError(ErrorCode.NotFound, `no issuer ${issuerId}`);
    const now = this.clock.now();
    const appliedSequence = await this.appliedSequence();
    const { crlNumber, revoked } = await this.ds.transaction(async (em) => {
      const state = (await em.findOneBy(CrlStateEntity, { issuerId })) ?? em.create(CrlStateEntity, { issuerId, crlNumber: 0 });
      state.crlNumber += 1;
      await em.save(state);
      const rows = await em.find(CertificateEntity, {
        where: { issuerId, revokedAt: Not(IsNull()), notAfter: MoreThan(now) },
        select: { serial: true, revokedAt: true, revocationReason: true },
      });
      return { crlNumber: state.crlNumber, revoked: rows };
    });
    const crl = await buildCrl({
      issuer,
      crlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + NEXT_UPDATE_MS),
      entries: revoked.map((r) => ({ serialHex: r.serial, revokedAt: r.revokedAt!, reasonCode: r.revocationReason ?? 0 })),
    });
    const der = Buffer.from(crl.rawData);
    return { der, pem: toPem(der, 'X509 CRL'), crlNumber, appliedSequence };
  }
}
