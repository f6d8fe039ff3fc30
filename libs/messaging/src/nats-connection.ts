import { connect, NatsConnection } from '@nats-io/transport-node';

/** A plain client connection that keeps reconnecting for as long as the process lives. */
export function connectNats(natsUrl: string, name: string): Promise<NatsConnection> {
  return connect({ servers: [natsUrl], name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
