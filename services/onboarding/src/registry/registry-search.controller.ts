import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In, MoreThan } from 'typeorm';
import { DeviceListReply, DeviceListRequest, DomainError, ErrorCode, OperatorSubjects } from '@iis/contracts';
import { DeviceEntity } from './device.entity';
import { deviceView } from './registry.service';
import { SimEntity } from './sim.entity';

const STATUSES = ['pending', 'active', 'quarantined', 'retired'];

/** Device list for the operator API: by serial, keyset pages, optional status and class filters. */
@Controller()
export class RegistrySearchController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @MessagePattern(OperatorSubjects.onboarding.listDevices)
  async list(@Payload() req: DeviceListRequest): Promise<DeviceListReply> {
    const r = req ?? {};
    const limit = r.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DomainError(ErrorCode.BadRequest, 'limit must be from 1 to 1000');
    const where: FindOptionsWhere<DeviceEntity> = {};
    if (r.status !== undefined) {
      if (!STATUSES.includes(r.status)) throw new DomainError(ErrorCode.BadRequest, `status must be one of ${STATUSES.join(', ')}`);
      where.status = r.status as DeviceEntity['status'];
    }
    if (r.deviceClass !== undefined) {
      if (typeof r.deviceClass !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(r.deviceClass)) throw new DomainError(ErrorCode.BadRequest, 'deviceClass is not a device class');
      where.deviceClass = r.deviceClass;
    }
    if (r.after !== undefined) {
      if (typeof r.after !== 'string' || r.after.length > 64) throw new DomainError(ErrorCode.BadRequest, 'after must be the nextCursor of a previous page');
      where.serial = MoreThan(r.after);
    }
    const rows = await this.ds.getRepository(DeviceEntity).find({ where, order: { serial: 'ASC' }, take: limit + 1 });
    const page = rows.slice(0, limit);
    const sims = page.length ? await this.ds.getRepository(SimEntity).findBy({ deviceId: In(page.map((d) => d.id)) }) : [];
    const simOf = new Map(sims.map((s) => [s.deviceId, s]));
    return { devices: page.map((d) => deviceView(d, simOf.get(d.id) ?? null)), nextCursor: rows.length > limit ? page[page.length - 1].serial : null };
  }
}
