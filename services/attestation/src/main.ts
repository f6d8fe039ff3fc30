import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadCommonConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { attestationModule } from './app.module';
import { AttestationSettings, loadAttestationSettings } from './attestation-settings';

/** Attestation: challenges, evidence verification (TPM 2.0 quote), signed results. NATS only. */
let nc: NatsConnection | undefined;
let settings: AttestationSettings | undefined;

void bootstrapService({
  name: 'attestation',
  loadConfig: () => {
    const config = loadCommonConfig();
    settings = loadAttestationSettings(config);
    return config;
  },
  module: (config) => attestationModule(config, nc!, settings!),
  queue: QueueGroups.attestation,
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-attestation-client');
  },
});
