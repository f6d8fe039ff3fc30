import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CLOCK, CommonConfig, systemClock } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
import { ChallengeEntity } from './challenges/challenge.entity';
import { ChallengesController } from './challenges/challenges.controller';
import { ChallengesService } from './challenges/challenges.service';
import { AttestationInitial1732400000000 } from './migrations/1732400000000-attestation-initial';

export function attestationModule(config: CommonConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'attestation', entities: [ChallengeEntity], migrations: [AttestationInitial1732400000000] }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [ChallengesController],
    providers: [{ provide: CLOCK, useValue: systemClock }, ChallengesService],
  })
  class AttestationModule {}
  return AttestationModule;
}
