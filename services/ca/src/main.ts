import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadCaConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { caModule } from './app.module';
import { HierarchyService } from './hierarchy/hierarchy.service';
import { HierarchySyncService } from './hierarchy/hierarchy-sync.service';
import { RevocationConsumerService } from './revocation-sync/revocation-consumer.service';
import { ocspHttpHandler } from './ocsp/ocsp.http';
import { OcspService } from './ocsp/ocsp.service';

/** The CA: issuance over NATS; CRLs and CA certificates over public, read-only HTTP. */
let nc: NatsConnection | undefined;

void bootstrapService({
  name: 'ca',
  loadConfig: () => loadCaConfig(),
  module: (config) => caModule(config, nc!),
  queue: QueueGroups.ca,
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-ca-client');
  },
  http: (config) => ({ ...config.http, authChallenge: 'Bearer' }),
  beforeListen: async (app) => {
    // The hierarchy must exist before the first request is taken.
    await app.get(HierarchyService).start();
    await app.get(HierarchySyncService).start();
    await app.get(RevocationConsumerService).start();
    // OCSP is mounted ahead of the Nest router (see ocsp.http.ts).
    const ocsp = app.get(OcspService);
    const logger = new Logger('ca.ocsp');
    (app as INestApplication).use('/ocsp', ocspHttpHandler((der) => ocsp.respond(der), (e) => logger.error(`OCSP answer failed: ${e.message}`)));
  },
});
