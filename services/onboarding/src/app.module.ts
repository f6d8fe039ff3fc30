import { RegistryStatsController } from './registry/registry-stats.controller';
import { RegistrySearchController } from './registry/registry-search.controller';
import { OnboardingDeviceList1732500000000 } from './migrations/1732500000000-onboarding-device-list';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, OnboardingConfig, systemClock } from '@iis/config';
import { natsClientProviders } from '@iis/runtime';
import { dataSourceOptions } from '@iis/persistence';
import { BootstrapSecretAuthorizer } from './authorizers/bootstrap-secret.authorizer';
import { EnrollmentAuthorizerChain } from './authorizers/enrollment-authorizer-chain';
import { EnrollmentRecordEntity } from './enrollments/enrollment-record.entity';
import { EnrollUseCase } from './est/enroll.usecase';
import { EstController } from './est/est.controller';
import { OnboardingInitial1732400000000 } from './migrations/1732400000000-onboarding-initial';
import { ONBOARDING_CONFIG } from './onboarding.tokens';
import { DeviceEntity } from './registry/device.entity';
import { RegistryController } from './registry/registry.controller';
import { RegistryService } from './registry/registry.service';
import { SimEntity } from './registry/sim.entity';
import { EnrollmentSecretEntity } from './secrets/enrollment-secret.entity';
import { EnrollmentSecretsService } from './secrets/enrollment-secrets.service';

export const ONBOARDING_ENTITIES = [DeviceEntity, SimEntity, EnrollmentSecretEntity, EnrollmentRecordEntity];
export const ONBOARDING_MIGRATIONS = [OnboardingInitial1732400000000, OnboardingDeviceList1732500000000];

/** `nc` is the client connection the service uses to call policy and the CA. */
export function onboardingModule(config: OnboardingConfig, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'onboarding', entities: ONBOARDING_ENTITIES, migrations: ONBOARDING_MIGRATIONS }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [EstController, RegistryController, RegistryStatsController, RegistrySearchController],
    providers: [
      { provide: ONBOARDING_CONFIG, useValue: config },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      RegistryService,
      EnrollmentSecretsService,
      BootstrapSecretAuthorizer,
      EnrollmentAuthorizerChain,
      EnrollUseCase,
    ],
  })
  class OnboardingModule {}
  return OnboardingModule;
}
