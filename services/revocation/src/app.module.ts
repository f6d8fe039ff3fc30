import { RevocationListController } from './queries/revocation-list.controller';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NatsConnection } from '@nats-io/transport-node';
import { CLOCK, CommonConfig, systemClock } from '@iis/config';
import { natsClientProviders } from '@iis/runtime';
import { dataSourceOptions } from '@iis/persistence';
import { AgentsController } from './agents/agents.controller';
import { AgentStatusEntity } from './agents/agent-status.entity';
import { RevocationCommandsController } from './commands/revocation-commands.controller';
import { ReportSimLostUseCase } from './commands/report-sim-lost.usecase';
import { RevocationCommitter } from './commands/revocation-committer';
import { RevokeUseCase } from './commands/revoke.usecase';
import { ResumeSimUseCase } from './commands/resume-sim.usecase';
import { SuspendSimUseCase } from './commands/suspend-sim.usecase';
import { RevokeDeviceController } from './commands/revoke-device.controller';
import { RevokeDeviceUseCase } from './commands/revoke-device.usecase';
import { RevocationEntity } from './log/revocation.entity';
import { RevocationInitial1732400000000 } from './migrations/1732400000000-revocation-initial';
import { RevocationAgents1732500000100 } from './migrations/1732500000100-revocation-agents';
import { RevocationList1732500000000 } from './migrations/1732500000000-revocation-list';
import { RevocationHoldRelease1765000000100 } from './migrations/1765000000100-revocation-hold-release';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { SigningKeyService } from './signing/signing-key.service';
import { SIGNING_SETTINGS, SigningSettings } from './signing/signing-settings';
import { SnapshotController } from './snapshot/snapshot.controller';

export function revocationModule(config: CommonConfig, nc: NatsConnection, signing: SigningSettings) {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions(config, {
          service: 'revocation',
          entities: [RevocationEntity, OutboxMessageEntity, AgentStatusEntity],
          migrations: [RevocationInitial1732400000000, RevocationList1732500000000, RevocationAgents1732500000100, RevocationHoldRelease1765000000100],
        }),
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    ],
    controllers: [RevocationCommandsController, AgentsController, RevokeDeviceController, RevocationListController, SnapshotController],
    providers: [
      { provide: CLOCK, useValue: systemClock },
      { provide: SIGNING_SETTINGS, useValue: signing },
      ...natsClientProviders(nc),
      OutboxRelayService,
      SigningKeyService,
      RevocationCommitter,
      ReportSimLostUseCase,
      RevokeUseCase,
      RevokeDeviceUseCase,
      SuspendSimUseCase,
      ResumeSimUseCase,
    ],
  })
  class RevocationModule {}
  return RevocationModule;
}
