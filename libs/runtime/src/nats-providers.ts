import { Inject, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { RpcClient } from '@iis/messaging';

/** The client connection a service uses to call others, and the RpcClient over it. */
export const NATS_CONNECTION = Symbol('NatsConnection');
export const RPC = Symbol('RpcClient');

class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}

/** Providers for a service's outgoing NATS connection; it is drained when the app stops. */
export function natsClientProviders(nc: NatsConnection): Provider[] {
  return [{ provide: NATS_CONNECTION, useValue: nc }, { provide: RPC, useValue: new RpcClient(nc) }, NatsConnectionCloser];
}
