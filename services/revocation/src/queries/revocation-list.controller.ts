import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, FindOperator, FindOptionsWhere, LessThan, MoreThan, MoreThanOrEqual } from 'typeorm';
import { DomainError, ErrorCode, OperatorSubjects, RevocationListReply, RevocationListRequest } from '@iis/contracts';
import { RevocationEntity } from '../log/revocation.entity';

/** The revocation log for the operator API, paged by log sequence either way (keyset, never OFFSET). */
@Controller()
export class RevocationListController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @MessagePattern(OperatorSubjects.revocation.listRevocations)
  async list(@Payload() req: RevocationListRequest): Promise<RevocationListReply> {
    const r = req ?? {};
    const limit = r.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DomainError(ErrorCode.BadRequest, 'limit must be from 1 to 1000');
    for (const cursor of ['after', 'before'] as const) {
      const v = r[cursor];
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new DomainError(ErrorCode.BadRequest, `${cursor} must be a log sequence`);
    }
    const order = r.order ?? 'oldest';
    if (order !== 'oldest' && order !== 'newest') throw new DomainError(ErrorCode.BadRequest, 'order must be oldest or newest');
    const where: FindOptionsWhere<RevocationEntity> = {};
    const bounds: FindOperator<number>[] = [];
    if (r.after !== undefined) bounds.push(MoreThan(r.after));
    if (r.before !== undefined) bounds.push(LessThan(r.before));
    if (bounds.length) where.sequence = bounds.length === 1 ? bounds[0] : And(...bounds);
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
    // Newest first walks the sequence index backwards: the console's "last 24 h" reads one page, not the whole day.
    const rows = await this.ds.getRepository(RevocationEntity).find({ where, order: { sequence: order === 'newest' ? 'DESC' : 'ASC' }, take: limit + 1 });
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
