import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, CommonConfig, systemClock } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
import { natsClientProviders } from '@iis/runtime';
import { ATTESTATION_SETTINGS, AttestationSettings } from './attestation-settings';
import { ChallengeEntity } from './challenges/challenge.entity';
import { ChallengesController } from './challenges/challenges.controller';
import { ChallengesService } from './challenges/challenges.service';
import { EvidenceController } from './evidence/evidence.controller';
import { VerifyEvidenceUseCase } from './evidence/verify-evidence.usecase';
import { evidenceVerifiersProvider } from './verifiers/evidence-verifiers.provider';
import { AttestationFactsPublisher } from './facts/attestation-facts.publisher';
import { AttestationInitial1732400000000 } from './migrations/1732400000000-attestation-initial';
import { AttestationCredentialChallenges1765000000200 } from './migrations/1765000000200-attestation-credential-challenges';
import { AttestationResults1765000000201 } from './migrations/1765000000201-attestation-results';
import { AttestationResultRedemption1765000000801 } from './migrations/1765000000801-attestation-result-redemption';
import { AttestationRefusalsAndExpiry1765000000802 } from './migrations/1765000000802-attestation-refusals-and-expiry';
import { AttestationResultEntity } from './results/attestation-result.entity';
import { AttestationResultsController } from './results/attestation-results.controller';
import { AttestationResultsService } from './results/attestation-results.service';
import { ResultSigner } from './results/result-signer';
import { RESULT_SIGNER } from './results/result-signer.token';

const MIGRATIONS = [AttestationInitial1732400000000, AttestationCredentialChallenges1765000000200, AttestationResults1765000000201, AttestationResultRedemption1765000000801, AttestationRefusalsAndExpiry1765000000802];

/** `nc` is the client connection for registry look-ups and attestation facts. */
export function attestationModule(config: CommonConfig, nc: NatsConnection, settings: AttestationSettings) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'attestation', entities: [ChallengeEntity, AttestationResultEntity], migrations: MIGRATIONS }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [ChallengesController, EvidenceController, AttestationResultsController],
    providers: [
      { provide: CLOCK, useValue: systemClock },
      { provide: ATTESTATION_SETTINGS, useValue: settings },
      { provide: RESULT_SIGNER, useValue: ResultSigner.fromFile(settings.resultKeyFile) },
      evidenceVerifiersProvider(settings),
      ...natsClientProviders(nc),
      ChallengesService,
      AttestationResultsService,
      AttestationFactsPublisher,
      VerifyEvidenceUseCase,
    ],
  })
  class AttestationModule {}
  return AttestationModule;
}
