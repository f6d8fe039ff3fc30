import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { EnvReader, loadCommonConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { policyModule } from './app.module';
import { FactConsumerService } from './evaluation/fact-consumer.service';
import { PolicyStoreService } from './policies/policy-store.service';

/** Policy: policy documents, explained decisions and continuous evaluation, over NATS only. */
let nc: NatsConnection | undefined;

void bootstrapService({
  name: 'policy',
  loadConfig: () => ({
    ...loadCommonConfig(),
    deviceTtlSeconds: new EnvReader().int('DEVICE_CERT_TTL_SECONDS', 86400, { min: 300 }),
  }),
  module: (config) => policyModule(config, { deviceTtlSeconds: config.deviceTtlSeconds }, nc!),
  queue: QueueGroups.policy,
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-policy-client');
  },
  beforeListen: async (app) => {
    // The active policy is loaded before the first decision request is taken.
    await app.get(PolicyStoreService).start();
    await app.get(FactConsumerService).start();
  },
});
