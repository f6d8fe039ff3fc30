import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CA_MIGRATIONS } from './migrations';
import { CaConfig, CLOCK, systemClock } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
import { natsClientProviders } from '@iis/runtime';
import { CA_CONFIG } from './ca.tokens';
import { CertificateLookupController } from './certificates/certificate-lookup.controller';
import { AuthorityCrlEntity } from './crl/authority-crl.entity';
import { AuthorityCrlService } from './crl/authority-crl.service';
import { CrlController } from './crl/crl.controller';
import { CrlStateEntity, StreamPositionEntity } from './crl/crl-state.entity';
import { CrlService } from './crl/crl.service';
import { HierarchyService } from './hierarchy/hierarchy.service';
import { IssuerEntity } from './hierarchy/issuer.entity';
import { CertificateEntity } from './issuance/certificate.entity';
import { IssuanceController } from './issuance/issuance.controller';
import { IssuanceService } from './issuance/issuance.service';
import { AttestationCheck } from './issuance/attestation-check';
import { CertificateSearchController } from './certificates/certificate-search.controller';
import { CertificateSearchService } from './certificates/certificate-search.service';
import { CertificateTimelineService } from './certificates/certificate-timeline.service';
import { CaPublicController } from './public/ca-public.controller';
import { OcspService } from './ocsp/ocsp.service';
import { HierarchyController } from './hierarchy/hierarchy.controller';
import { HierarchySyncService } from './hierarchy/hierarchy-sync.service';
import { RevocationConsumerService } from './revocation-sync/revocation-consumer.service';

export { CA_MIGRATIONS };
export const CA_ENTITIES = [IssuerEntity, CertificateEntity, CrlStateEntity, StreamPositionEntity, AuthorityCrlEntity];

/** `nc` is the client connection the CA uses to call other services (the attestation check). */
export function caModule(config: CaConfig, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'ca', entities: CA_ENTITIES, migrations: CA_MIGRATIONS }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [IssuanceController, CrlController, CaPublicController, HierarchyController, CertificateLookupController, CertificateSearchController],
    providers: [
      { provide: CA_CONFIG, useValue: config },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      HierarchyService,
      IssuanceService,
      AttestationCheck,
      CrlService,
      AuthorityCrlService,
      OcspService,
      HierarchySyncService,
      RevocationConsumerService,
      CertificateSearchService,
      CertificateTimelineService,
    ],
  })
  class CaModule {}
  return CaModule;
}
