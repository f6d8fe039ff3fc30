import { RegistryStatsController } from './registry/registry-stats.controller';
import { RegistrySearchController } from './registry/registry-search.controller';
import { SimConsoleController } from './registry/sim-console.controller';
import { SimConsoleService } from './registry/sim-console.service';
import { OnboardingDeviceList1732500000200 } from './migrations/1732500000200-onboarding-device-list';
import { OnboardingSimKey1765000000800 } from './migrations/1765000000800-onboarding-sim-key';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, OnboardingConfig, systemClock } from '@iis/config';
import { natsClientProviders } from '@iis/runtime';
import { dataSourceOptions } from '@iis/persistence';
import { AttestationRequirement } from './authorizers/attestation-requirement';
import { AttestationGatewayController } from './attestation/attestation-gateway.controller';
import { BootstrapSecretAuthorizer } from './authorizers/bootstrap-secret.authorizer';
import { CurrentCertificateAuthorizer } from './authorizers/current-certificate.authorizer';
import { EnrollmentAuthorizerChain } from './authorizers/enrollment-authorizer-chain';
import { IdevidAuthorizer, MANUFACTURER_ROOTS } from './authorizers/idevid.authorizer';
import { ManufacturerRoots } from './authorizers/manufacturer-roots';
import { EnrollmentRecordEntity } from './enrollments/enrollment-record.entity';
import { EnrollmentRecordsService } from './enrollments/enrollment-records.service';
import { PendingEnrollmentEntity } from './enrollments/pending-enrollment.entity';
import { PendingEnrollmentsService } from './enrollments/pending-enrollments.service';
import { CaCertsCache } from './est/ca-certs.cache';
import { EstEnrollUseCase } from './est/est-enroll.usecase';
import { EstLabelEntity } from './est/est-label.entity';
import { EstLabelsService } from './est/est-labels.service';
import { EST_SETTINGS, EstSettings } from './est/est-settings';
import { OnboardingInitial1732400000000 } from './migrations/1732400000000-onboarding-initial';
import { OnboardingEst1732500000000 } from './migrations/1732500000000-onboarding-est';
import { ONBOARDING_CONFIG } from './onboarding.tokens';
import { DeviceEntity } from './registry/device.entity';
import { RegistryAdminController } from './registry/registry-admin.controller';
import { RegistryAdminService } from './registry/registry-admin.service';
import { RegistryController } from './registry/registry.controller';
import { RegistryService } from './registry/registry.service';
import { SimEntity } from './registry/sim.entity';
import { EnrollmentSecretEntity } from './secrets/enrollment-secret.entity';
import { EnrollmentSecretsService } from './secrets/enrollment-secrets.service';

export const ONBOARDING_ENTITIES = [DeviceEntity, SimEntity, EnrollmentSecretEntity, EnrollmentRecordEntity, EstLabelEntity, PendingEnrollmentEntity];
export const ONBOARDING_MIGRATIONS = [OnboardingInitial1732400000000, OnboardingEst1732500000000, OnboardingDeviceList1732500000200, OnboardingSimKey1765000000800];

/** `nc` is the client connection the service uses to call policy and the CA. */
export function onboardingModule(config: OnboardingConfig, nc: NatsConnection, est: EstSettings, roots: ManufacturerRoots) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'onboarding', entities: ONBOARDING_ENTITIES, migrations: ONBOARDING_MIGRATIONS }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [AttestationGatewayController, RegistryController, RegistryAdminController, RegistryStatsController, RegistrySearchController, SimConsoleController],
    providers: [
      { provide: ONBOARDING_CONFIG, useValue: config },
      { provide: EST_SETTINGS, useValue: est },
      { provide: MANUFACTURER_ROOTS, useValue: roots },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      RegistryService,
      RegistryAdminService,
      SimConsoleService,
      EnrollmentSecretsService,
      EnrollmentRecordsService,
      PendingEnrollmentsService,
      EstLabelsService,
      CaCertsCache,
      BootstrapSecretAuthorizer,
      CurrentCertificateAuthorizer,
      IdevidAuthorizer,
      AttestationRequirement,
      EnrollmentAuthorizerChain,
      EstEnrollUseCase,
    ],
  })
  class OnboardingModule {}
  return OnboardingModule;
}
