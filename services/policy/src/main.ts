import 'reflect-metadata';
import { EnvReader, loadCommonConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { bootstrapService } from '@iis/runtime';
import { policyModule } from './app.module';

/** Policy: decisions with reasons, over NATS only. */
void bootstrapService({
  name: 'policy',
  loadConfig: () => ({
    ...loadCommonConfig(),
    deviceTtlSeconds: new EnvReader().int('DEVICE_CERT_TTL_SECONDS', 86400, { min: 300 }),
  }),
  module: (config) => policyModule(config, { deviceTtlSeconds: config.deviceTtlSeconds }),
  queue: QueueGroups.policy,
});
