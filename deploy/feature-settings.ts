import { Env, loadCommonConfig, serviceVariables, ServiceName, variablesRead } from '@iis/config';
import { loadAttestationSettings } from '../services/attestation/src/attestation-settings';
import { loadGatewayAgentConfig } from '../services/gateway-agent/src/gateway-agent.config';
import { loadEstSettings } from '../services/onboarding/src/est/est-settings';
import { loadMtlsConfig } from '../services/operator-api/src/mtls/mtls-config';
import { loadSigningSettings } from '../services/revocation/src/signing/signing-settings';

/**
 * What a service reads for a feature of its own, besides its config loader in libs/config (which
 * may not import a service, hence this map here). Each loader is run, as the config loaders are,
 * over an environment that records every lookup.
 */
type Loader = (env: Env) => unknown;

/**
 * A deployment turns some optional features on: the value stands in only where the environment
 * has none, after the lookup was recorded, so the loader goes on to read what the feature needs.
 */
function switchedOn(env: Env, values: Env): Env {
  return new Proxy(env, {
    get: (target, name) => {
      const value = target[name as string];
      return value === undefined || value === '' ? values[name as string] : value;
    },
  });
}

const FEATURE_SETTINGS_LOADERS: Record<ServiceName, Loader[]> = {
  onboarding: [(env) => loadEstSettings(loadCommonConfig(env).dataDir, env)],
  // The attestation service falls back to EST_MANUFACTURER_ROOTS_DIR; a deployment names its own.
  attestation: [(env) => loadAttestationSettings(loadCommonConfig(env), switchedOn(env, { ATTESTATION_MANUFACTURER_ROOTS_DIR: '/nonexistent/manufacturer-roots' }))],
  ca: [],
  policy: [],
  revocation: [loadSigningSettings],
  // The deployments run the operators' mTLS listener (API_MTLS_PORT turns it on).
  'operator-api': [(env) => loadMtlsConfig(switchedOn(env, { API_MTLS_PORT: '8444' }))],
};

/** Every variable a deployed service reads: its config loader, its operations port, its features. */
export function deployedVariables(service: ServiceName): string[] {
  return [...new Set([...serviceVariables(service), ...FEATURE_SETTINGS_LOADERS[service].flatMap((load) => variablesRead(load))])].sort();
}

/** The gateway agent (not one of the suite's services: no operations port of its own). */
export function gatewayAgentVariables(): string[] {
  return variablesRead((env) => loadGatewayAgentConfig(env, () => 'agent'));
}
