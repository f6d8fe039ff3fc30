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
import { FactOutboxEntity } from './facts/fact-outbox.entity';
import { AttestationPruningService } from './pruning/attestation-pruning.service';
import { ATTESTATION_MIGRATIONS } from './migrations/attestation-migrations';
import { AttestationResultEntity } from './results/attestation-result.entity';
import { AttestationResultsController } from './results/attestation-results.controller';
import { AttestationResultsService } from './results/attestation-results.service';
import { ResultSigner } from './results/result-signer';
import { RESULT_SIGNER } from './results/result-signer.token';


/** `nc` is the client connection for registry look-ups and attestation facts. */
export function attestationModule(config: CommonConfig, nc: NatsConnection, settings: AttestationSettings) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'attestation', entities: [ChallengeEntity, AttestationResultEntity, FactOutboxEntity], migrations: ATTESTATION_MIGRATIONS }),
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
      AttestationPruningService,
    ],
  })
  class AttestationModule {}
  return AttestationModule;
}
