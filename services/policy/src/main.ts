import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadPolicyConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { policyModule } from './app.module';
import { BundlePublisherService } from './bundles/bundle-publisher.service';
import { FactConsumerService } from './evaluation/fact-consumer.service';
import { PolicyStoreService } from './policies/policy-store.service';

/** Policy: policy documents, explained decisions and continuous evaluation, over NATS only. */
let nc: NatsConnection | undefined;

void bootstrapService({
  name: 'policy',
  loadConfig: () => loadPolicyConfig(),
  module: (config) => policyModule(config, { deviceTtlSeconds: config.deviceTtlSeconds, bundleKeyFile: config.bundleKeyFile }, nc!),
  queue: QueueGroups.policy,
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-policy-client');
  },
  beforeListen: async (app) => {
    // The active policy is loaded before the first decision request is taken.
    const store = app.get(PolicyStoreService);
    const bundles = app.get(BundlePublisherService);
    await bundles.start();
    store.addListener(bundles);
    await store.start();
    await app.get(FactConsumerService).start();
  },
});
