import { connect, NatsConnection } from '@nats-io/transport-node';

/** NATS_URL may list several seeds of a cluster, comma-separated; credentials may sit in each URL. */
export function natsSeeds(natsUrl: string): string[] {
  return natsUrl.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A plain client connection that keeps reconnecting for as long as the process lives. */
export function connectNats(natsUrl: string, name: string): Promise<NatsConnection> {
  return connect({ servers: natsSeeds(natsUrl), name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
