import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, CommonConfig, systemClock } from '@iis/config';
import { RpcClient } from '@iis/messaging';
import { dataSourceOptions } from '@iis/persistence';
import { RevocationCommandsController } from './commands/revocation-commands.controller';
import { ReportSimLostUseCase } from './commands/report-sim-lost.usecase';
import { RevocationEntity } from './log/revocation.entity';
import { RevocationInitial1732400000000 } from './migrations/1732400000000-revocation-initial';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { NATS_CONNECTION, RPC } from './revocation.tokens';

class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}

export function revocationModule(config: CommonConfig, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'revocation', entities: [RevocationEntity, OutboxMessageEntity], migrations: [RevocationInitial1732400000000] }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [RevocationCommandsController],
    providers: [
      { provide: CLOCK, useValue: systemClock },
      { provide: NATS_CONNECTION, useValue: nc },
      { provide: RPC, useValue: new RpcClient(nc) },
      NatsConnectionCloser,
      OutboxRelayService,
      ReportSimLostUseCase,
    ],
  })
  class RevocationModule {}
  return RevocationModule;
}
