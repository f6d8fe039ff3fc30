import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { DecideEnrollmentRequest, DomainError, ErrorCode, ListPendingRequest, PendingEnrollmentView, PendingStatus } from '@iis/contracts';
import { DeviceEntity } from '../registry/device.entity';
import { PendingEnrollmentEntity } from './pending-enrollment.entity';

/** Enrollments that wait for an operator; the device's retry with the same CSR completes them. */
@Injectable()
export class PendingEnrollmentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The open request of this device for this label and CSR, created on first sight. */
  async findOrCreate(deviceId: string, label: string, csrSha256: string): Promise<PendingEnrollmentEntity> {
    const repo = this.ds.getRepository(PendingEnrollmentEntity);
    // Two first requests racing may both create one; an operator's decision on either counts.
    const open = await repo.find({ where: { deviceId, label, csrSha256, status: In(['pending', 'approved', 'rejected']) }, order: { createdAt: 'DESC' } });
    const found = open.find((p) => p.status === 'approved') ?? open.find((p) => p.status === 'rejected') ?? open[0];
    if (found) return found;
    const row = repo.create({ id: randomUUID(), deviceId, label, csrSha256, status: 'pending', decidedAt: null, decidedBy: null });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  }

  async complete(id: string): Promise<boolean> {
    const r = await this.ds.createQueryBuilder().update(PendingEnrollmentEntity).set({ status: 'completed' }).where({ id, status: 'approved' }).execute();
    return r.affected === 1;
  }

  async reopen(id: string): Promise<void> {
    await this.ds.createQueryBuilder().update(PendingEnrollmentEntity).set({ status: 'approved' }).where({ id, status: 'completed' }).execute();
  }

  async decide(req: DecideEnrollmentRequest): Promise<PendingEnrollmentView> {
    if (!req || typeof req.id !== 'string' || typeof req.approve !== 'boolean') throw new DomainError(ErrorCode.BadRequest, 'id and approve are required');
    const status: PendingStatus = req.approve ? 'approved' : 'rejected';
    const r = await this.ds
      .createQueryBuilder()
      .update(PendingEnrollmentEntity)
      .set({ status, decidedAt: this.clock.now(), decidedBy: String(req.actor ?? 'unknown').slice(0, 200) })
      .where({ id: req.id, status: 'pending' })
      .execute();
    const row = await this.ds.getRepository(PendingEnrollmentEntity).findOneBy({ id: req.id });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no pending enrollment ${req.id}`);
    if (r.affected !== 1) throw new DomainError(ErrorCode.Conflict, `enrollment ${req.id} is already ${row.status}`);
    return (await this.views([row]))[0];
  }

  async list(req: ListPendingRequest): Promise<PendingEnrollmentView[]> {
    const rows = await this.ds.getRepository(PendingEnrollmentEntity).find({ where: { status: req?.status ?? 'pending' }, order: { createdAt: 'ASC' }, take: 1000 });
    return this.views(rows);
  }

  private async views(rows: PendingEnrollmentEntity[]): Promise<PendingEnrollmentView[]> {
    const devices = rows.length ? await this.ds.getRepository(DeviceEntity).findBy({ id: In([...new Set(rows.map((r) => r.deviceId))]) }) : [];
    const serial = new Map(devices.map((d) => [d.id, d.serial]));
    return rows.map((r) => ({
      id: r.id,
      deviceSerial: serial.get(r.deviceId) ?? '',
      label: r.label,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
      decidedBy: r.decidedBy,
    }));
  }
}
