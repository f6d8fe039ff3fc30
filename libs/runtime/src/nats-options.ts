import { NatsOptions, Transport } from '@nestjs/microservices';
import { natsCredentials, natsSeeds } from '@iis/messaging';

/** The Nest NATS transport for a service's handlers, all in the service's queue group. */
export function natsServerOptions(natsUrl: string, queue: string, name: string): NatsOptions {
  return {
    transport: Transport.NATS,
    options: { servers: natsSeeds(natsUrl), ...natsCredentials(natsUrl), queue, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 },
  };
}
