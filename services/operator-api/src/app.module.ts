import { Module, ValidationPipe } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, OperatorApiConfig, systemClock } from '@iis/config';
import { natsClientProviders } from '@iis/runtime';
import { dataSourceOptions } from '@iis/persistence';
import { AttestationResultsController } from './attestation/attestation-results.controller';
import { AuditController } from './audit/audit.controller';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditService } from './audit/audit.service';
import { OperatorAuthService } from './auth/operator-auth.service';
import { OperatorTokenEntity } from './auth/operator-token.entity';
import { OperatorTokensService } from './auth/operator-tokens.service';
import { TokenGuard } from './auth/token.guard';
import { CertificatesController } from './certificates/certificates.controller';
import { DevicesController } from './devices/devices.controller';
import { HealthController } from './health.controller';
import { OperatorApiInitial1732400000000 } from './migrations/1732400000000-operator-api-initial';
import { OperatorApiAudit1732500000000 } from './migrations/1732500000000-operator-api-audit';
import { OPERATOR_API_CONFIG } from './operator-api.tokens';
import { RevokeController } from './revocations/revoke.controller';
import { SimsController } from './sims/sims.controller';
import { policyControllers } from './policies/policies.controller';
import { MtlsListener } from './mtls/mtls-listener';
import { OperatorCertificateEntity } from './operator-certificates/operator-certificate.entity';
import { OperatorCertificatesController } from './operator-certificates/operator-certificates.controller';
import { OperatorCertificatesService } from './operator-certificates/operator-certificates.service';
import { OperatorApiCertificates1732500000001 } from './migrations/1732500000001-operator-api-certificates';
import { StatusController } from './status/status.controller';
import { RevocationsController } from './revocations/revocations.controller';
import { TokensController } from './tokens/tokens.controller';
import { RegistryController } from './registry/registry.controller';
import { CertificateTimelineController } from './certificates/certificate-timeline.controller';
import { ConsoleStaticController } from './console/console-static.controller';
import { FleetSnapshotService } from './console/fleet-snapshot.service';
import { FleetStreamController } from './console/fleet-stream.controller';
import { SessionController } from './console/session.controller';
import { SimDeskController } from './sims/sim-desk.controller';
import { FleetStatusService } from './status/fleet-status.service';

export function operatorApiModule(config: OperatorApiConfig, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'operator-api', entities: [OperatorTokenEntity, AuditEntryEntity, OperatorCertificateEntity],
          migrations: [OperatorApiInitial1732400000000, OperatorApiAudit1732500000000, OperatorApiCertificates1732500000001],
        }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [
      HealthController,
      DevicesController,
      // Before SimsController: GET sims/search must not be taken for sims/:iccid.
      SimDeskController,
      SimsController,
      CertificatesController,
      AttestationResultsController,
      TokensController,
      AuditController,
      StatusController,
      RevocationsController,
      RevokeController,
      OperatorCertificatesController,
      RegistryController,
      ...policyControllers,
      CertificateTimelineController,
      SessionController,
      FleetStreamController,
      ConsoleStaticController,
    ],
    providers: [
      { provide: OPERATOR_API_CONFIG, useValue: config },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      // Shape first: unknown fields are refused, types are checked, before any use case runs.
      { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
      OperatorTokensService,
      OperatorAuthService,
      AuditService,
      OperatorCertificatesService,
      MtlsListener,
      FleetStatusService,
      FleetSnapshotService,
      TokenGuard,
      // Deny by default: every route needs a credential and a permission unless marked @Public().
      { provide: APP_GUARD, useExisting: TokenGuard },
      // Every mutating call is written to the hash-chained audit trail.
      { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    ],
  })
  class OperatorApiModule {}
  return OperatorApiModule;
}
