import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConfigError, loadOnboardingConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { onboardingModule } from './app.module';
import { ManufacturerRoots } from './authorizers/manufacturer-roots';
import { CaCertsCache } from './est/ca-certs.cache';
import { EstEnrollUseCase } from './est/est-enroll.usecase';
import { EST_AUTH_CHALLENGE, EstHttpHandler, serveEstFirst } from './est/est-http';
import { EstLabelsService } from './est/est-labels.service';
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
      authChallenge: EST_AUTH_CHALLENGE,
      // RFC 7030 3.3.1: TLS 1.1 or later; the suite accepts 1.2 and 1.3. The client
      // certificate is optional and checked by the authorizers (IDevID, re-enroll), not by TLS.
      httpsOptions: { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false },
    };
  },
  // EST is answered by its own handler before Nest's routing (est/est-http.ts says why); the
  // rest of the listener (attestation gateway, registry) stays with the Nest application.
  beforeListen: async (app) => {
    const web = app as INestApplication;
    serveEstFirst(web.getHttpServer(), new EstHttpHandler(web.get(EstEnrollUseCase), web.get(CaCertsCache), web.get(EstLabelsService)));
  },
});
