import { Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, OperatorApiConfig, systemClock } from '@iis/config';
import { natsClientProviders } from '@iis/runtime';
import { dataSourceOptions } from '@iis/persistence';
import { OperatorTokenEntity } from './auth/operator-token.entity';
import { OperatorTokensService } from './auth/operator-tokens.service';
import { TokenGuard } from './auth/token.guard';
import { CertificatesController } from './certificates/certificates.controller';
import { DevicesController } from './devices/devices.controller';
import { HealthController } from './health.controller';
import { OperatorApiInitial1732400000000 } from './migrations/1732400000000-operator-api-initial';
import { OPERATOR_API_CONFIG } from './operator-api.tokens';
import { SimsController } from './sims/sims.controller';
import { RegistryController } from './registry/registry.controller';

export function operatorApiModule(config: OperatorApiConfig, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'operator-api', entities: [OperatorTokenEntity], migrations: [OperatorApiInitial1732400000000] }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [HealthController, DevicesController, SimsController, CertificatesController, RegistryController],
    providers: [
      { provide: OPERATOR_API_CONFIG, useValue: config },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      // Shape first: unknown fields are refused, types are checked, before any use case runs.
      { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
      OperatorTokensService,
      TokenGuard,
    ],
  })
  class OperatorApiModule {}
  return OperatorApiModule;
}
