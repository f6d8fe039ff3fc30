import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConfigError, loadOnboardingConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { onboardingModule } from './app.module';
import { ManufacturerRoots } from './authorizers/manufacturer-roots';
import { EstSettings, loadEstSettings } from './est/est-settings';
import { obtainEstServerIdentity } from './tls/est-server-identity';

/** Onboarding: the device-facing EST listener (HTTPS) and the device/SIM registry (NATS). */
let nc: NatsConnection | undefined;
let est: EstSettings | undefined;
let roots: ManufacturerRoots | undefined;

void bootstrapService({
  name: 'onboarding',
  loadConfig: () => {
    const config = loadOnboardingConfig();
    est = loadEstSettings(config.dataDir);
    try {
      roots = ManufacturerRoots.fromDir(est.manufacturerRootsDir);
    } catch (e) {
      throw new ConfigError('EST_MANUFACTURER_ROOTS_DIR', (e as Error).message);
    }
    return config;
  },
  module: (config) => onboardingModule(config, nc!, est!, roots!),
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
      // RFC 7030 3.3.1: TLS 1.1 or later; the suite accepts 1.2 and 1.3. The client
      // certificate is optional and checked by the authorizers (IDevID, re-enroll), not by TLS.
      httpsOptions: { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false },
    };
  },
});
