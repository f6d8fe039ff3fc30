import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode, RestoreSimReply, RestoreSimRequest, SimSearchReply, SimSearchRequest } from '@iis/contracts';
import { DeviceEntity } from './device.entity';
import { simView } from './registry.service';
import { parseSimSearch } from './sim-search';
import { SimEntity } from './sim.entity';

/** The console's SIM desk: find a SIM by any identifier (with its device), restore one reported lost. */
@Injectable()
export class SimConsoleService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async search(req: SimSearchRequest): Promise<SimSearchReply> {
    const parsed = parseSimSearch(req);
    if ('problem' in parsed) throw new DomainError(ErrorCode.BadRequest, parsed.problem);
    const sims = await this.ds.getRepository(SimEntity).find({ where: parsed.filters, order: { iccid: 'ASC' }, take: 100 });
    const ids = sims.map((s) => s.deviceId).filter((id): id is string => id !== null);
    const devices = ids.length ? await this.ds.getRepository(DeviceEntity).findBy({ id: In(ids) }) : [];
    const byId = new Map(devices.map((d) => [d.id, d]));
    return {
      sims: sims.map((s) => {
        const d = s.deviceId ? byId.get(s.deviceId) : undefined;
        return { ...simView(s), device: d ? { id: d.id, serial: d.serial, status: d.status, deviceClass: d.deviceClass } : null };
      }),
    };
  }

  /**
   * A SIM reported lost by mistake (found in a drawer) goes back to active; idempotent. The
   * certificates revoked with it stay revoked (revocation is final, RFC 5280 3.3): the device
   * enrolls again for a new one.
   */
  async restore(req: RestoreSimRequest): Promise<RestoreSimReply> {
    if (!req || typeof req.iccid !== 'string') throw new DomainError(ErrorCode.BadRequest, 'iccid is required');
    return this.ds.transaction(async (em) => {
      const sim = await em.findOneBy(SimEntity, { iccid: req.iccid });
      if (!sim) throw new DomainError(ErrorCode.NotFound, `no SIM with ICCID ${req.iccid}`);
      if (sim.status === 'active') return { sim: simView(sim), changed: false };
      if (sim.status !== 'lost') throw new DomainError(ErrorCode.Conflict, `SIM ${sim.iccid} is ${sim.status}, not lost; only a lost SIM is restored`);
      sim.status = 'active';
      sim.lostAt = null;
      sim.lostReason = null;
      sim.lostBy = null;
      await em.save(sim);
      return { sim: simView(sim), changed: true };
    });
  }
}
