import { connect, ConnectionOptions, NatsConnection } from '@nats-io/transport-node';

/** NATS_URL may list several seeds of a cluster, comma-separated; returned without credentials. */
export function natsSeeds(natsUrl: string): string[] {
  return natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/\/\/[^/@]*@/, '//'));
}

/** The user and password carried in the URLs (libs/config puts NATS_USER / NATS_PASSWORD there). */
export function natsCredentials(natsUrl: string): { user: string; pass: string } | undefined {
  const m = /\/\/([^:/@]+):([^@]*)@/.exec(natsUrl);
  return m ? { user: decodeURIComponent(m[1]), pass: decodeURIComponent(m[2]) } : undefined;
}

/** How long a connection waits between reconnect attempts (per server), in ms. */
export const NATS_RECONNECT_WAIT_MS = 500;

/**
 * A plain client connection that keeps reconnecting for as long as the process lives.
 * noAsyncTraces: nats.js otherwise builds an Error (a stack trace) up front for every request,
 * in case it fails; RpcClient turns failures into DomainErrors naming the subject anyway.
 * `options` go last, over these (e.g. `tls: { caFile }` for a cluster whose CA is not the system's).
 */
export function connectNats(natsUrl: string, name: string, options: ConnectionOptions = {}): Promise<NatsConnection> {
  return connect({ servers: natsSeeds(natsUrl), ...natsCredentials(natsUrl), name, maxReconnectAttempts: -1, reconnectTimeWait: NATS_RECONNECT_WAIT_MS, noAsyncTraces: true, ...options });
}
