import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, EnrollmentRecordView, ErrorCode, ListEnrollmentsReply, ListEnrollmentsRequest } from '@iis/contracts';
import { DeviceEntity } from '../registry/device.entity';
import { EnrollmentRecordEntity } from './enrollment-record.entity';

export function recordView(r: EnrollmentRecordEntity): EnrollmentRecordView {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    operation: r.operation,
    label: r.label,
    deviceId: r.deviceId,
    claimedSerial: r.claimedSerial,
    sourceAddress: r.sourceAddress,
    authorizer: r.authorizer,
    outcome: r.outcome,
    errorCode: r.errorCode,
    reason: r.reason,
    decisionId: r.decisionId,
    attestationId: r.attestationId,
    certificateSerial: r.certificateSerial,
    pendingId: r.pendingId,
  };
}

/** Reads the record every enrollment attempt leaves. */
@Injectable()
export class EnrollmentRecordsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async list(req: ListEnrollmentsRequest): Promise<ListEnrollmentsReply> {
    const take = req?.limit ?? 100;
    if (!Number.isInteger(take) || take < 1 || take > 1000) throw new DomainError(ErrorCode.BadRequest, 'limit must be 1 to 1000');
    const qb = this.ds.getRepository(EnrollmentRecordEntity).createQueryBuilder('r').orderBy('r.createdAt', 'DESC').take(take);
    if (typeof req?.serial === 'string') {
      const d = await this.ds.getRepository(DeviceEntity).findOneBy({ serial: req.serial });
      qb.andWhere('(r.claimedSerial = :serial OR r.deviceId = :id)', { serial: req.serial, id: d?.id ?? '-' });
    }
    if (typeof req?.outcome === 'string') qb.andWhere('r.outcome = :outcome', { outcome: req.outcome });
    return { enrollments: (await qb.getMany()).map(recordView) };
  }
}
