import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaConfig, CLOCK, systemClock } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
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
import { CaInitial1732400000000 } from './migrations/1732400000000-ca-initial';
import { CaCertificateSearch1732500000000 } from './migrations/1732500000000-ca-certificate-search';
import { CertificateSearchController } from './certificates/certificate-search.controller';
import { CertificateSearchService } from './certificates/certificate-search.service';
import { CertificateTimelineService } from './certificates/certificate-timeline.service';
import { CaKeyReference1764000000000 } from './migrations/1764000000000-ca-key-reference';
import { CaDropRedundantIndexes1764000000100 } from './migrations/1764000000100-ca-drop-redundant-indexes';
import { CaAuthorityCrl1765000000500 } from './migrations/1765000000500-ca-authority-crl';
import { CaPublicController } from './public/ca-public.controller';
import { OcspService } from './ocsp/ocsp.service';
import { HierarchyController } from './hierarchy/hierarchy.controller';
import { HierarchySyncService } from './hierarchy/hierarchy-sync.service';
import { RevocationConsumerService } from './revocation-sync/revocation-consumer.service';

export const CA_ENTITIES = [IssuerEntity, CertificateEntity, CrlStateEntity, StreamPositionEntity, AuthorityCrlEntity];
export const CA_MIGRATIONS = [CaInitial1732400000000, CaCertificateSearch1732500000000, CaKeyReference1764000000000, CaDropRedundantIndexes1764000000100, CaAuthorityCrl1765000000500];

export function caModule(config: CaConfig) {
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
      HierarchyService,
      IssuanceService,
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
