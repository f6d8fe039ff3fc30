import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonConfig } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
import { DecideUseCase } from './decisions/decide.usecase';
import { DecisionEntity } from './decisions/decision.entity';
import { DecisionsController } from './decisions/decisions.controller';
import { PolicyInitial1732400000000 } from './migrations/1732400000000-policy-initial';
import { POLICY_SETTINGS, PolicySettings } from './policy.tokens';

export function policyModule(config: CommonConfig, settings: PolicySettings) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, { service: 'policy', entities: [DecisionEntity], migrations: [PolicyInitial1732400000000] }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [DecisionsController],
    providers: [{ provide: POLICY_SETTINGS, useValue: settings }, DecideUseCase],
  })
  class PolicyModule {}
  return PolicyModule;
}
