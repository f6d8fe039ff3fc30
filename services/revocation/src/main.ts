import 'reflect-metadata';
import * as os from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadCommonConfig } from '@iis/config';
import { QueueGroups } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { bootstrapService } from '@iis/runtime';
import { revocationModule } from './app.module';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { SigningKeyService } from './signing/signing-key.service';
import { loadSigningSettings, SigningSettings } from './signing/signing-settings';

/** Revocation: commands over NATS, the durable log and its outbox relay to JetStream. */
let nc: NatsConnection | undefined;
let signing: SigningSettings | undefined;

void bootstrapService({
  name: 'revocation',
  loadConfig: () => {
    const config = loadCommonConfig();
    signing = loadSigningSettings();
    return config;
  },
  module: (config) => revocationModule(config, nc!, signing!),
  queue: QueueGroups.revocation,
  beforeListen: async (app) => {
    // Events are signed when committed: the signing certificate comes first.
    await app.get(SigningKeyService).start(`${os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 28)}-${process.pid}`);
    await app.get(OutboxRelayService).start();
  },
  prepare: async (config) => {
    nc = await connectNats(config.natsUrl, 'iis-revocation-client');
  },
});
