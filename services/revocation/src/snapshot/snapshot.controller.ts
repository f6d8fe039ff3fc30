import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, IsNull, MoreThan, Not } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode, RevocationReason, RevocationSnapshotSubjects, SnapshotPage, SnapshotPageRequest } from '@iis/contracts';
import { RevocationEntity } from '../log/revocation.entity';
import { SigningKeyService } from '../signing/signing-key.service';
import { snapshotPageQuery } from './snapshot-page.rules';

/**
 * The signed snapshot a new or resyncing agent starts from: every revoked, not yet expired
 * serial up to a fixed log sequence, in pages (keyset on the log sequence), each page signed.
 * Revocations committed while an agent pages through come after `upTo` and reach it as deltas.
 */
@Controller()
export class SnapshotController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signing: SigningKeyService,
  ) {}

  @MessagePattern(RevocationSnapshotSubjects.page)
  async page(@Payload() req: SnapshotPageRequest): Promise<SnapshotPage> {
    const q = snapshotPageQuery(req);
    if (typeof q === 'string') throw new DomainError(ErrorCode.BadRequest, q);
    const signer = this.signing.signer();
    const repo = this.ds.getRepository(RevocationEntity);
    const upTo = q.upTo ?? Number((await repo.maximum('sequence')) ?? 0);
    const rows =
      q.after >= upTo
        ? []
        : await repo.find({
            // Revocations and holds in effect; a release row or a released hold is not revoked.
            where: { sequence: Between(q.after + 1, upTo), notAfter: MoreThan(this.clock.now()), releasedAt: IsNull(), reason: Not('removeFromCRL') },
            select: { sequence: true, serial: true, issuerId: true, notAfter: true, reason: true, subjectCommonName: true },
            order: { sequence: 'ASC' },
            take: q.limit + 1,
          });
    const page = rows.slice(0, q.limit);
    return signer.signPage({
      upTo,
      after: q.after,
      entries: page.map((r) => [r.serial, r.issuerId, new Date(r.notAfter).toISOString(), r.reason as RevocationReason, r.subjectCommonName ?? null]),
      nextCursor: rows.length > q.limit ? Number(page[page.length - 1].sequence) : null,
    });
  }
}
