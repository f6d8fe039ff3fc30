import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OperatorSubjects, RegistryStatsReply } from '@iis/contracts';
import { DeviceEntity } from './device.entity';
import { SimEntity } from './sim.entity';

/** Fleet figures for the operator API's `status`: one GROUP BY per table. */
@Controller()
export class RegistryStatsController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @MessagePattern(OperatorSubjects.onboarding.registryStats)
  async stats(): Promise<RegistryStatsReply> {
    const byStatus = async (entity: typeof DeviceEntity | typeof SimEntity) => {
      const rows: { status: string; n: string | number }[] = await this.ds
        .getRepository(entity)
        .createQueryBuilder('x')
        .select('x.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .groupBy('x.status')
        .getRawMany();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    };
    return { devicesByStatus: await byStatus(DeviceEntity), simsByStatus: await byStatus(SimEntity) };
  }
}
