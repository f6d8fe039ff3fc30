import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { entitySelect, entityUpdate } from '@iis/persistence';
import { DeviceView, DomainError, ErrorCode, MarkSimLostReply, MarkSimLostRequest, MarkSimStatusReply, MarkSimStatusRequest, RegisterDeviceRequest, SimView } from '@iis/contracts';
import { DeviceEntity } from './device.entity';
import { iccidProblem, imeiProblem, imsiProblem, serialProblem } from './identifiers';
import { SimEntity } from './sim.entity';

export function simView(s: SimEntity): SimView {
  return { iccid: s.iccid, imsi: s.imsi, imei: s.imei, status: s.status, deviceId: s.deviceId, lostAt: s.lostAt ? s.lostAt.toISOString() : null, keySha256: s.keySha256 ?? null, keyBoundAt: s.keyBoundAt ? s.keyBoundAt.toISOString() : null };
}

export function deviceView(d: DeviceEntity, sim: SimEntity | null): DeviceView {
  return { id: d.id, serial: d.serial, deviceClass: d.deviceClass, status: d.status, createdAt: d.createdAt.toISOString(), sim: sim ? simView(sim) : null };
}

/** Every enrollment looks its device up (marks it enrolled, binds its SIM's key): statements built once, not per call. */
function registryLookups(ds: DataSource) {
  return {
    deviceBySerial: entitySelect(ds, DeviceEntity, '{serial} = ?', 1),
    deviceById: entitySelect(ds, DeviceEntity, '{id} = ?', 1),
    simOfDevice: entitySelect(ds, SimEntity, '{deviceId} = ?', 1),
    activatePending: entityUpdate(ds, DeviceEntity, '{status} = ?, {firstEnrolledAt} = ?', '{id} = ? AND {status} = ?'),
    bindSimKey: entityUpdate(ds, SimEntity, '{keySha256} = ?, {keyBoundAt} = ?', '{deviceId} = ?'),
  };
}

/** The device and SIM registry: who may exist, and which SIM each device sits behind. */
@Injectable()
export class RegistryService {
  private readonly lookups: ReturnType<typeof registryLookups>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // The DataSource is initialised (TypeOrmModule) before the services that inject it are built.
    this.lookups = registryLookups(ds);
  }

  async register(req: RegisterDeviceRequest): Promise<DeviceView> {
    const problem =
      serialProblem(req?.serial) ??
      (req?.sim ? iccidProblem(req.sim.iccid) ?? imsiProblem(req.sim.imsi) ?? imeiProblem(req.sim.imei) : 'sim (iccid, imsi, imei) is required');
    if (problem) throw new DomainError(ErrorCode.BadRequest, problem);
    const deviceClass = req.deviceClass ?? 'default';
    if (typeof deviceClass !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(deviceClass)) {
      throw new DomainError(ErrorCode.BadRequest, 'deviceClass must be 1 to 64 letters, digits, ".", "_" or "-"');
    }
    return this.ds.transaction(async (em) => {
      if (await em.existsBy(DeviceEntity, { serial: req.serial })) throw new DomainError(ErrorCode.Conflict, `device ${req.serial} is already registered`);
      if (await em.existsBy(SimEntity, { iccid: req.sim.iccid })) throw new DomainError(ErrorCode.Conflict, `SIM ${req.sim.iccid} is already registered`);
      const device = em.create(DeviceEntity, { id: randomUUID(), serial: req.serial, deviceClass, status: 'pending', firstEnrolledAt: null });
      await em.insert(DeviceEntity, device);
      const sim = em.create(SimEntity, {
        iccid: req.sim.iccid, imsi: req.sim.imsi, imei: req.sim.imei, status: 'active', deviceId: device.id,
        lostAt: null, lostReason: null, lostBy: null,
      });
      await em.insert(SimEntity, sim);
      const saved = await em.findOneByOrFail(DeviceEntity, { id: device.id });
      return deviceView(saved, await em.findOneByOrFail(SimEntity, { iccid: sim.iccid }));
    });
  }

  async findDevice(by: { serial?: string; id?: string }): Promise<{ device: DeviceEntity; sim: SimEntity | null } | null> {
    if (!by || (typeof by.serial !== 'string' && typeof by.id !== 'string')) return null;
    const q = this.lookups;
    const [device] = by.serial !== undefined ? await q.deviceBySerial(['serial', by.serial]) : await q.deviceById(['id', by.id]);
    if (!device) return null;
    const [sim] = await q.simOfDevice(['deviceId', device.id]);
    return { device, sim: sim ?? null };
  }

  async getDevice(by: { serial?: string; id?: string }): Promise<DeviceView> {
    const found = await this.findDevice(by);
    if (!found) throw new DomainError(ErrorCode.NotFound, `no device ${by?.serial ?? by?.id ?? ''}`);
    return deviceView(found.device, found.sim);
  }

  async getSim(iccid: string): Promise<SimView> {
    const sim = typeof iccid === 'string' ? await this.ds.getRepository(SimEntity).findOneBy({ iccid }) : null;
    if (!sim) throw new DomainError(ErrorCode.NotFound, `no SIM with ICCID ${String(iccid)}`);
    return simView(sim);
  }

  /** Marks a SIM lost; idempotent. From then on policy refuses every enrollment through it. */
  async markLost(req: MarkSimLostRequest): Promise<MarkSimLostReply> {
    if (!req || typeof req.iccid !== 'string') throw new DomainError(ErrorCode.BadRequest, 'iccid is required');
    return this.ds.transaction(async (em) => {
      const sim = await em.findOneBy(SimEntity, { iccid: req.iccid });
      if (!sim) throw new DomainError(ErrorCode.NotFound, `no SIM with ICCID ${req.iccid}`);
      if (sim.status === 'lost') return { sim: simView(sim), changed: false };
      sim.status = 'lost';
      sim.lostAt = this.clock.now();
      sim.lostReason = String(req.reason ?? '').slice(0, 500);
      sim.lostBy = String(req.actor ?? 'unknown').slice(0, 200);
      await em.save(sim);
      return { sim: simView(sim), changed: true };
    });
  }

  /** active → suspended; idempotent. Policy refuses enrollment through a suspended SIM. */
  markSuspended(req: MarkSimStatusRequest): Promise<MarkSimStatusReply> {
    return this.changeSimStatus(req, (sim) => {
      if (sim.status === 'suspended') return false;
      if (sim.status !== 'active') throw new DomainError(ErrorCode.Conflict, `SIM ${sim.iccid} is ${sim.status}, not active: it cannot be suspended`);
      sim.status = 'suspended';
      return true;
    });
  }

  /** suspended → active; a SIM that is not suspended is a conflict and nothing changes. */
  markResumed(req: MarkSimStatusRequest): Promise<MarkSimStatusReply> {
    return this.changeSimStatus(req, (sim) => {
      if (sim.status !== 'suspended') throw new DomainError(ErrorCode.Conflict, `SIM ${sim.iccid} is ${sim.status}, not suspended: there is nothing to resume`);
      sim.status = 'active';
      return true;
    });
  }

  private changeSimStatus(req: MarkSimStatusRequest, change: (sim: SimEntity) => boolean): Promise<MarkSimStatusReply> {
    if (!req || typeof req.iccid !== 'string') throw new DomainError(ErrorCode.BadRequest, 'iccid is required');
    return this.ds.transaction(async (em) => {
      const sim = await em.findOneBy(SimEntity, { iccid: req.iccid });
      if (!sim) throw new DomainError(ErrorCode.NotFound, `no SIM with ICCID ${req.iccid}`);
      if (!change(sim)) return { sim: simView(sim), changed: false };
      await em.save(sim);
      return { sim: simView(sim), changed: true };
    });
  }

  /**
   * Binds the key of a certificate just issued to the device's SIM: the SIM attestation then
   * flags any other key as a possible clone or SIM swap. A re-enrollment with a new key (proved
   * by the current certificate) moves the binding to the new key.
   */
  async bindSimKey(deviceId: string, keySha256: string): Promise<void> {
    await this.lookups.bindSimKey(['keySha256', keySha256], ['keyBoundAt', this.clock.now()], ['deviceId', deviceId]);
  }

  async markEnrolled(deviceId: string): Promise<void> {
    await this.lookups.activatePending(['status', 'active'], ['firstEnrolledAt', this.clock.now()], ['id', deviceId], ['status', 'pending']);
  }
}
