import { Env, EnvReader } from './env-reader';
import type { HttpListenConfig, ServiceName } from './suite-config';

/** Default port of each service's operations listener (health, readiness, metrics). */
export const DEFAULT_OPS_PORTS: Record<ServiceName, number> = {
  onboarding: 9101,
  attestation: 9102,
  ca: 9103,
  policy: 9104,
  revocation: 9105,
  'operator-api': 9106,
};

/** `operator-api` → `OPERATOR_API_OPS_PORT`: one variable per service, so instances on one host differ. */
export function opsPortVariable(service: ServiceName): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_OPS_PORT`;
}

/** Where a service answers /health/live, /health/ready and /metrics (plain HTTP, OPS_HOST). */
export function loadOpsConfig(service: ServiceName, env: Env = process.env): HttpListenConfig {
  const r = new EnvReader(env);
  return { host: r.string('OPS_HOST', '127.0.0.1'), port: r.port(opsPortVariable(service), DEFAULT_OPS_PORTS[service]) };
}
