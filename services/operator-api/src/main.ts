import 'reflect-metadata';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadOperatorApiConfig } from '@iis/config';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { operatorApiModule } from './app.module';
import { OperatorTokensService } from './auth/operator-tokens.service';
import { setUpOpenApi } from './openapi';
import { loadMtlsConfig } from './mtls/mtls-config';
import { MtlsListener } from './mtls/mtls-listener';
import { RPC } from '@iis/runtime';
import type { RpcClient } from '@iis/messaging';
import type { INestApplication } from '@nestjs/common';

/** The operator API: REST under /api/v1 on its own listener, apart from the EST listener. */
let nc: NatsConnection | undefined;

void bootstrapService({
  name: 'operator-api',
  loadConfig: () => loadOperatorApiConfig(),
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-operator-api-client');
  },
  module: (config) => operatorApiModule(config, nc!),
  // The API's own NATS handlers share a queue group, like every service.
  queue: 'iis-operator-api',
  http: (config) => ({ ...config.http, authChallenge: 'Bearer' }),
  beforeListen: async (app) => {
    await app.get(OperatorTokensService).ensureInitialToken();
    setUpOpenApi(app as INestApplication);
  },
  afterListen: async (app) => {
    const mtls = loadMtlsConfig();
    if (mtls) await app.get(MtlsListener).start(app as INestApplication, app.get<RpcClient>(RPC), mtls);
  },
});
