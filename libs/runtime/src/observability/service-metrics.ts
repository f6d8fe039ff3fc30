import { collectDefaultMetrics, Registry, register } from 'prom-client';

/**
 * The registry /metrics serves: process metrics plus whatever the service's own code
 * registers with prom-client's default registry (counters, histograms beside the use cases).
 */
export function serviceRegistry(service: string): Registry {
  register.setDefaultLabels({ service });
  collectDefaultMetrics({ register });
  return register;
}
