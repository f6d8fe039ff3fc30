import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadOnboardingConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { onboardingModule } from './app.module';
import { obtainEstServerIdentity } from './tls/est-server-identity';

/** Onboarding: the device-facing EST listener (HTTPS) and the device/SIM registry (NATS). */
let nc: NatsConnection | undefined;

void bootstrapService({
  name: 'onboarding',
  loadConfig: () => loadOnboardingConfig(),
  module: (config) => onboardingModule(config, nc!),
  queue: QueueGroups.onboarding,
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-onboarding-client');
  },
  http: async (config) => {
    const tls = await obtainEstServerIdentity(new RpcClient(nc!), config.est.hostnames);
    return {
      host: config.est.host,
      port: config.est.port,
      rawBody: true,
      authChallenge: 'Basic realm="est"',
      // RFC 7030 3.3.1: TLS 1.1 or later; the suite accepts 1.2 and 1.3.
      httpsOptions: { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' },
    };
  },
});
