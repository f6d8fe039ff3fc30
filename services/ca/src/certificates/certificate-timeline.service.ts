import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { CertificateTimelineReply, CertificateTimelineRequest, DomainError, ErrorCode } from '@iis/contracts';
import { CertificateEntity } from '../issuance/certificate.entity';
import { timelineWindow } from './certificate-timeline';

/**
 * Certificates issued and expiring over time, for the console's chart. One COUNT per bucket:
 * the same SQL on SQLite and PostgreSQL (no date-truncation functions), memory that does not
 * grow with the fleet. There is no index on notBefore (every index slows the issuance hot
 * path, see 1764000000100); a certificate issued in a bucket expires after the bucket starts,
 * so `notAfter > from` lets the notAfter index narrow the scan. The console asks once a minute.
 */
@Injectable()
export class CertificateTimelineService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async timeline(req: CertificateTimelineRequest): Promise<CertificateTimelineReply> {
    const now = this.clock.now();
    const w = timelineWindow(req, now);
    if ('problem' in w) throw new DomainError(ErrorCode.BadRequest, w.problem);
    const repo = this.ds.getRepository(CertificateEntity);
    const issued: number[] = [];
    for (const [from, to] of w.issued) {
      issued.push(await repo.createQueryBuilder('c').where('c.notAfter > :from AND c.notBefore >= :from AND c.notBefore < :to', { from, to }).getCount());
    }
    const expiring: number[] = [];
    for (const [from, to] of w.expiring) {
      expiring.push(await repo.createQueryBuilder('c').where('c.revokedAt IS NULL AND c.notAfter >= :from AND c.notAfter < :to', { from, to }).getCount());
    }
    return { at: now.toISOString(), bucketSeconds: w.bucketSeconds, issued, expiring };
  }
}
