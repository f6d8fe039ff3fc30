import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  AddSimRequest,
  DeviceDetailView,
  DeviceStatus,
  DomainError,
  ErrorCode,
  ImportDeviceRow,
  ImportDevicesReply,
  ImportDevicesRequest,
  ListSimsReply,
  ListSimsRequest,
  SetDeviceStatusRequest,
  SimStatus,
  SimView,
} from '@iis/contracts';
import { EnrollmentSecretsService } from '../secrets/enrollment-secrets.service';
import { DeviceEntity } from './device.entity';
import { iccidProblem, imeiProblem, imsiProblem } from './identifiers';
import { screenBatch } from './import-rows';
import { deviceView, simView } from './registry.service';
import { SimEntity } from './sim.entity';

const DEVICE_STATUSES: DeviceStatus[] = ['pending', 'active', 'quarantined', 'retired'];
const SIM_STATUSES: SimStatus[] = ['active', 'suspended', 'lost', 'retired'];
export const MAX_IMPORT_BATCH = 5000;

export function deviceDetailView(d: DeviceEntity, sim: SimEntity | null): DeviceDetailView {
  return { ...deviceView(d, sim), manufacturer: d.manufacturer ?? null, firmwareVersion: d.firmwareVersion ?? null, firstEnrolledAt: d.firstEnrolledAt ? d.firstEnrolledAt.toISOString() : null };
}

function pageSize(limit: unknown): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 1000) throw new DomainError(ErrorCode.BadRequest, 'limit must be 1 to 1000');
  return limit as number;
}

/** Registry administration: listing, bulk import, SIMs on their own, status changes. */
@Injectable()
export class RegistryAdminService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly secrets: EnrollmentSecretsService,
  ) {}

  async getDevice(serial: string): Promise<DeviceDetailView> {
    const d = typeof serial === 'string' ? await this.ds.getRepository(DeviceEntity).findOneBy({ serial }) : null;
    if (!d) throw new DomainError(ErrorCode.NotFound, `no device ${String(serial)}`);
    return deviceDetailView(d, await this.ds.getRepository(SimEntity).findOneBy({ deviceId: d.id }));
  }

  async setDeviceStatus(req: SetDeviceStatusRequest): Promise<DeviceDetailView> {
    if (!req || !DEVICE_STATUSES.includes(req.status)) throw new DomainError(ErrorCode.BadRequest, `status must be one of ${DEVICE_STATUSES.join(', ')}`);
    const d = typeof req.serial === 'string' ? await this.ds.getRepository(DeviceEntity).findOneBy({ serial: req.serial }) : null;
    if (!d) throw new DomainError(ErrorCode.NotFound, `no device ${String(req.serial)}`);
    if (d.status === 'retired' && req.status !== 'retired') throw new DomainError(ErrorCode.Conflict, `device ${d.serial} is retired; a retired device does not come back`);
    await this.ds.getRepository(DeviceEntity).update({ id: d.id }, { status: req.status });
    return this.getDevice(d.serial);
  }

  async addSim(req: AddSimRequest): Promise<SimView> {
    const problem = iccidProblem(req?.iccid) ?? imsiProblem(req?.imsi) ?? imeiProblem(req?.imei);
    if (problem) throw new DomainError(ErrorCode.BadRequest, problem);
    return this.ds.transaction(async (em) => {
      if (await em.existsBy(SimEntity, { iccid: req.iccid })) throw new DomainError(ErrorCode.Conflict, `SIM ${req.iccid} is already registered`);
      let deviceId: string | null = null;
      if (req.deviceSerial !== undefined) {
        const d = await em.findOneBy(DeviceEntity, { serial: String(req.deviceSerial) });
        if (!d) throw new DomainError(ErrorCode.NotFound, `no device ${String(req.deviceSerial)}`);
        if (await em.existsBy(SimEntity, { deviceId: d.id })) throw new DomainError(ErrorCode.Conflict, `device ${d.serial} already has a SIM`);
        deviceId = d.id;
      }
      await em.insert(SimEntity, { iccid: req.iccid, imsi: req.imsi, imei: req.imei, status: 'active', deviceId, lostAt: null, lostReason: null, lostBy: null });
      return simView(await em.findOneByOrFail(SimEntity, { iccid: req.iccid }));
    });
  }

  async listSims(req: ListSimsRequest): Promise<ListSimsReply> {
    const take = pageSize(req?.limit);
    if (req?.status !== undefined && !SIM_STATUSES.includes(req.status)) throw new DomainError(ErrorCode.BadRequest, `status must be one of ${SIM_STATUSES.join(', ')}`);
    const where: Record<string, unknown> = {};
    if (req?.status) where.status = req.status;
    if (typeof req?.after === 'string') where.iccid = MoreThan(req.after);
    const sims = await this.ds.getRepository(SimEntity).find({ where, order: { iccid: 'ASC' }, take: take + 1 });
    const page = sims.slice(0, take);
    return { sims: page.map(simView), next: sims.length > take ? page[page.length - 1].iccid : null };
  }

  /**
   * Imports a batch: each row is a device (and its SIM) in full or not at all. Rows with
   * problems, repeats, or serials/ICCIDs already registered are reported by line; the rest
   * go in one transaction, or row by row when that transaction fails (a concurrent insert).
   */
  async importDevices(req: ImportDevicesRequest): Promise<ImportDevicesReply> {
    if (!req || !Array.isArray(req.rows)) throw new DomainError(ErrorCode.BadRequest, 'rows must be a list');
    if (req.rows.length > MAX_IMPORT_BATCH) throw new DomainError(ErrorCode.PayloadTooLarge, `at most ${MAX_IMPORT_BATCH} rows per batch`);
    const actor = String(req.actor ?? 'unknown');
    const { good, rejected } = screenBatch(req.rows);
    const taken = await this.alreadyRegistered(good);
    const fresh = good.filter((r) => {
      const why = taken.get(r.line);
      if (why) rejected.push({ line: r.line, reason: why });
      return !why;
    });
    const secrets: ImportDevicesReply['secrets'] = [];
    let imported = 0;
    try {
      await this.ds.transaction(async (em) => {
        const ids = await this.insertRows(em, fresh);
        if (req.withSecrets) secrets.push(...(await this.secrets.createMany(em, ids, actor)));
      });
      imported = fresh.length;
    } catch {
      secrets.length = 0;
      for (const row of fresh) {
        try {
          await this.ds.transaction(async (em) => {
            const ids = await this.insertRows(em, [row]);
            if (req.withSecrets) secrets.push(...(await this.secrets.createMany(em, ids, actor)));
          });
          imported++;
        } catch (e) {
          rejected.push({ line: row.line, reason: `not imported: ${(e as Error).message.slice(0, 200)}` });
        }
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    return { imported, rejected, ...(req.withSecrets ? { secrets } : {}) };
  }

  private async alreadyRegistered(rows: ImportDeviceRow[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const serials = new Set((await this.ds.getRepository(DeviceEntity).find({ select: { serial: true }, where: { serial: In(chunk.map((r) => r.serial)) } })).map((d) => d.serial));
      const iccidList = chunk.map((r) => r.iccid).filter((x): x is string => !!x);
      const iccids = new Set(iccidList.length ? (await this.ds.getRepository(SimEntity).find({ select: { iccid: true }, where: { iccid: In(iccidList) } })).map((s) => s.iccid) : []);
      for (const r of chunk) {
        if (serials.has(r.serial)) out.set(r.line, `device ${r.serial} is already registered`);
        else if (r.iccid && iccids.has(r.iccid)) out.set(r.line, `SIM ${r.iccid} is already registered`);
      }
    }
    return out;
  }

  /**
   * Inserts devices and their SIMs. TypeORM writes reloaded values back into the objects it
   * inserts (in the database's order, not ours), so ids are kept apart and only copies are
   * handed to it.
   */
  private async insertRows(em: EntityManager, rows: ImportDeviceRow[]): Promise<{ id: string; serial: string }[]> {
    const now = this.clock.now();
    const ids = rows.map((r) => ({ id: randomUUID(), serial: r.serial }));
    const devices = rows.map((r, i) => ({
      id: ids[i].id,
      serial: r.serial,
      deviceClass: r.deviceClass ?? 'default',
      status: 'pending' as const,
      firstEnrolledAt: null,
      manufacturer: r.manufacturer ?? null,
      firmwareVersion: r.firmwareVersion ?? null,
      createdAt: now,
    }));
    for (let i = 0; i < devices.length; i += 100) await em.insert(DeviceEntity, devices.slice(i, i + 100));
    const sims = rows.flatMap((r, i) =>
      r.iccid ? [{ iccid: r.iccid, imsi: r.imsi!, imei: r.imei!, status: 'active' as const, deviceId: ids[i].id, lostAt: null, lostReason: null, lostBy: null, createdAt: now }] : [],
    );
    for (let i = 0; i < sims.length; i += 100) await em.insert(SimEntity, sims.slice(i, i + 100));
    return ids;
  }
}
