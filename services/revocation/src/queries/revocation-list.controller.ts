import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, MoreThan, MoreThanOrEqual } from 'typeorm';
import { DomainError, ErrorCode, OperatorSubjects, RevocationListReply, RevocationListRequest } from '@iis/contracts';
import { RevocationEntity } from '../log/revocation.entity';

/** The revocation log for the operator API, paged by log sequence (keyset, never OFFSET). */
@Controller()
export class RevocationListController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @MessagePattern(OperatorSubjects.revocation.listRevocations)
  async list(@Payload() req: RevocationListRequest): Promise<RevocationListReply> {
    const r = req ?? {};
    const limit = r.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DomainError(ErrorCode.BadRequest, 'limit must be from 1 to 1000');
    if (r.after !== undefined && (!Number.isSafeInteger(r.after) || r.after < 0)) throw new DomainError(ErrorCode.BadRequest, 'after must be a log sequence');
    const where: FindOptionsWhere<RevocationEntity> = {};
    if (r.after !== undefined) where.sequence = MoreThan(r.after);
    if (r.since !== undefined) {
      const since = new Date(r.since);
      if (typeof r.since !== 'string' || Number.isNaN(since.getTime())) throw new DomainError(ErrorCode.BadRequest, 'since must be ISO 8601');
      where.revokedAt = MoreThanOrEqual(since);
    }
    if (r.deviceId !== undefined) {
      if (typeof r.deviceId !== 'string') throw new DomainError(ErrorCode.BadRequest, 'deviceId must be text');
      where.deviceId = r.deviceId;
    }
    if (r.iccid !== undefined) {
      if (typeof r.iccid !== 'string') throw new DomainError(ErrorCode.BadRequest, 'iccid must be text');
      where.iccid = r.iccid;
    }
    const rows = await this.ds.getRepository(RevocationEntity).find({ where, order: { sequence: 'ASC' }, take: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      revocations: page.map((x) => ({
        sequence: Number(x.sequence),
        serial: x.serial,
        issuerId: x.issuerId,
        reason: x.reason,
        revokedAt: new Date(x.revokedAt).toISOString(),
        deviceId: x.deviceId,
        iccid: x.iccid,
        cause: x.cause,
        actor: x.actor,
      })),
      nextCursor: rows.length > limit ? Number(page[page.length - 1].sequence) : null,
    };
  }
}
