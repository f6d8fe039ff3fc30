import { Env, loadCommonConfig, serviceVariables, ServiceName, variablesRead } from '@iis/config';
import { loadAttestationSettings } from '../services/attestation/src/attestation-settings';
import { loadGatewayAgentConfig } from '../services/gateway-agent/src/gateway-agent.config';
import { loadEstSettings } from '../services/onboarding/src/est/est-settings';
import { loadMtlsConfig } from '../services/operator-api/src/mtls/mtls-config';
import { loadSigningSettings } from '../services/revocation/src/signing/signing-settings';

/**
 * What a service reads for a feature of its own, besides its config loader in libs/config (which
 * may not import a service, hence this map here). Each loader is run, as the config loaders are,
 * over an environment that records every lookup; `seed` gives it starting values, such as an
 * optional feature a deployment turns on, so it goes on to read what the feature needs.
 */
interface Loader {
  load: (env: Env) => unknown;
  seed?: Env;
}

const FEATURE_SETTINGS_LOADERS: Record<ServiceName, Loader[]> = {
  onboarding: [{ load: (env) => loadEstSettings(loadCommonConfig(env).dataDir, env) }],
  // The attestation service falls back to EST_MANUFACTURER_ROOTS_DIR; a deployment names its own.
  // DATA_DIR points nowhere so the loader never reads a developer's ./data (missing folders read as empty).
  attestation: [
    {
      load: (env) => loadAttestationSettings(loadCommonConfig(env), env),
      seed: { DATA_DIR: '/nonexistent', ATTESTATION_MANUFACTURER_ROOTS_DIR: '/nonexistent/manufacturer-roots' },
    },
  ],
  ca: [],
  policy: [],
  revocation: [{ load: loadSigningSettings }],
  // The deployments run the operators' mTLS listener (API_MTLS_PORT turns it on).
  'operator-api': [{ load: loadMtlsConfig, seed: { API_MTLS_PORT: '8444' } }],
};

/** Every variable a deployed service reads: its config loader, its operations port, its features. */
export function deployedVariables(service: ServiceName): string[] {
  return [...new Set([...serviceVariables(service), ...FEATURE_SETTINGS_LOADERS[service].flatMap(({ load, seed }) => variablesRead(load, seed))])].sort();
}

/** The gateway agent (not one of the suite's services: no operations port of its own). */
export function gatewayAgentVariables(): string[] {
  return variablesRead((env) => loadGatewayAgentConfig(env, () => 'agent'));
}
