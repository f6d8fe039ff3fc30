import { EnvReader } from '@iis/config';

/** Kept apart from the listener (which is Nest) so the deploy check can run it. */
export interface MtlsConfig {
  host: string;
  port: number;
  hostnames: string[];
}

/** API_MTLS_PORT turns the mTLS listener on; API_MTLS_HOST (default API_HOST) and API_MTLS_HOSTNAMES (server certificate names). */
export function loadMtlsConfig(env: NodeJS.ProcessEnv = process.env): MtlsConfig | undefined {
  const r = new EnvReader(env);
  if (r.optional('API_MTLS_PORT') === undefined) return undefined;
  return {
    host: r.string('API_MTLS_HOST', r.string('API_HOST', '127.0.0.1')),
    port: r.port('API_MTLS_PORT', 0),
    hostnames: r.string('API_MTLS_HOSTNAMES', 'localhost').split(',').map((h) => h.trim()).filter(Boolean),
  };
}
