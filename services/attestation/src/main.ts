import 'reflect-metadata';
import { loadCommonConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { bootstrapService } from '@iis/runtime';
import { attestationModule } from './app.module';

/** Attestation: challenges (nonces) now; evidence verifiers build on them. NATS only. */
void bootstrapService({
  name: 'attestation',
  loadConfig: () => loadCommonConfig(),
  module: attestationModule,
  queue: QueueGroups.attestation,
});
