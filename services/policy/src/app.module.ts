import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, CommonConfig, systemClock } from '@iis/config';
import { dataSourceOptions } from '@iis/persistence';
import { natsClientProviders } from '@iis/runtime';
import { BundlePublisherService } from './bundles/bundle-publisher.service';
import { DecideUseCase } from './decisions/decide.usecase';
import { DecisionEntity } from './decisions/decision.entity';
import { DecisionsController } from './decisions/decisions.controller';
import { DeviceDecisionsUseCase } from './decisions/device-decisions.usecase';
import { DeviceTrustEntity } from './evaluation/device-trust.entity';
import { FactConsumerService } from './evaluation/fact-consumer.service';
import { PolicyStats } from './evaluation/policy-stats';
import { RescoreUseCase } from './evaluation/rescore.usecase';
import { PolicyInitial1732400000000 } from './migrations/1732400000000-policy-initial';
import { PolicyEngine1764000000000 } from './migrations/1764000000000-policy-engine';
import { PoliciesController } from './policies/policies.controller';
import { PolicyActivationEntity } from './policies/policy-activation.entity';
import { PolicyStoreService } from './policies/policy-store.service';
import { PolicyVersionEntity } from './policies/policy-version.entity';
import { POLICY_SETTINGS, PolicySettings } from './policy.tokens';

export function policyModule(config: CommonConfig, settings: PolicySettings, nc: NatsConnection) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, {
          service: 'policy',
          entities: [DecisionEntity, PolicyVersionEntity, PolicyActivationEntity, DeviceTrustEntity],
          migrations: [PolicyInitial1732400000000, PolicyEngine1764000000000],
        }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [DecisionsController, PoliciesController],
    providers: [
      { provide: POLICY_SETTINGS, useValue: settings },
      { provide: CLOCK, useValue: systemClock },
      ...natsClientProviders(nc),
      PolicyStoreService,
      PolicyStats,
      DecideUseCase,
      DeviceDecisionsUseCase,
      RescoreUseCase,
      FactConsumerService,
      BundlePublisherService,
    ],
  })
  class PolicyModule {}
  return PolicyModule;
}
