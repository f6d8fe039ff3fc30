import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { CertificateSearchReply, CertificateSearchRequest, CertificateStatsReply, CertificateStatsRequest, DomainError, ErrorCode } from '@iis/contracts';
import { CertificateEntity } from '../issuance/certificate.entity';
import { certificateStatus, encodeCursor, parseCertificateSearch } from './certificate-search.query';

/** Read side of the certificate store for the operator API: filtered keyset pages and fleet figures. */
@Injectable()
export class CertificateSearchService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async search(req: CertificateSearchRequest): Promise<CertificateSearchReply> {
    const s = parseCertificateSearch(req);
    const now = this.clock.now();
    const qb = this.ds
      .getRepository(CertificateEntity)
      .createQueryBuilder('c')
      .select(['c.serial', 'c.issuerId', 'c.profile', 'c.deviceId', 'c.iccid', 'c.subject', 'c.notBefore', 'c.notAfter', 'c.revokedAt', 'c.attestationResultId']);
    if (s.deviceId !== undefined) qb.andWhere('c.deviceId = :deviceId', { deviceId: s.deviceId });
    if (s.iccid !== undefined) qb.andWhere('c.iccid = :iccid', { iccid: s.iccid });
    if (s.serial !== undefined) qb.andWhere('c.serial = :serial', { serial: s.serial });
    if (s.status === 'revoked') qb.andWhere('c.revokedAt IS NOT NULL');
    if (s.status === 'valid') qb.andWhere('c.revokedAt IS NULL AND c.notAfter > :now', { now });
    if (s.status === 'expired') qb.andWhere('c.revokedAt IS NULL AND c.notAfter <= :now', { now });
    if (s.expiresAfter) qb.andWhere('c.notAfter >= :expiresAfter', { expiresAfter: s.expiresAfter });
    if (s.expiresBefore) qb.andWhere('c.notAfter < :expiresBefore', { expiresBefore: s.expiresBefore });
    if (s.order === 'notAfter') {
      if (s.after) {
        const { notAfter, serial } = s.after;
        qb.andWhere(new Brackets((w) => w.where('c.notAfter > :afterAt', { afterAt: notAfter }).orWhere('c.notAfter = :afterAt AND c.serial > :afterSerial', { afterAt: notAfter, afterSerial: serial })));
      }
      qb.orderBy('c.notAfter', 'ASC').addOrderBy('c.serial', 'ASC');
    } else {
      if (s.after) qb.andWhere('c.serial > :afterSerial', { afterSerial: s.after.serial });
      qb.orderBy('c.serial', 'ASC');
    }
    const rows = await qb.take(s.limit + 1).getMany();
    const page = rows.slice(0, s.limit);
    const last = page[page.length - 1];
    return {
      certificates: page.map((c) => ({
        serial: c.serial,
        issuerId: c.issuerId,
        profile: c.profile,
        deviceId: c.deviceId,
        iccid: c.iccid,
        subject: c.subject,
        notBefore: new Date(c.notBefore).toISOString(),
        notAfter: new Date(c.notAfter).toISOString(),
        revokedAt: c.revokedAt ? new Date(c.revokedAt).toISOString() : null,
        status: certificateStatus(c, now),
        attestationResultId: c.attestationResultId ?? null,
      })),
      nextCursor: rows.length > s.limit ? encodeCursor(s.order, { notAfter: new Date(last.notAfter), serial: last.serial }) : null,
    };
  }

  async stats(req: CertificateStatsRequest): Promise<CertificateStatsReply> {
    const within = req?.expiringWithinSeconds;
    const since = new Date(req?.revokedSince ?? '');
    if (!Number.isInteger(within) || within < 0 || within > 366 * 86400 || Number.isNaN(since.getTime())) {
      throw new DomainError(ErrorCode.BadRequest, 'expiringWithinSeconds (0..1 year) and revokedSince (ISO 8601) are required');
    }
    const now = this.clock.now();
    const soon = new Date(now.getTime() + within * 1000);
    const repo = this.ds.getRepository(CertificateEntity);
    const valid = await repo.createQueryBuilder('c').where('c.revokedAt IS NULL AND c.notAfter > :now', { now }).getCount();
    const expiringSoon = await repo
      .createQueryBuilder('c')
      .where('c.revokedAt IS NULL AND c.notAfter > :now AND c.notAfter <= :soon', { now, soon })
      .getCount();
    const revokedSince = await repo.createQueryBuilder('c').where('c.revokedAt >= :since', { since }).getCount();
    return { valid, expiringSoon, revokedSince };
  }
}
