import { ConfigError, Env } from './env-reader';
import { loadOpsConfig } from './ops-config';
import { loadCaConfig, loadCommonConfig, loadOnboardingConfig, loadOperatorApiConfig, loadPolicyConfig, ServiceName } from './suite-config';

/** How each service parses its environment (what a service reads for one feature of its own is mapped in deploy/feature-settings.ts). */
export const SERVICE_CONFIG_LOADERS: Record<ServiceName, (env: Env) => unknown> = {
  onboarding: (env) => loadOnboardingConfig(env, () => 'x'.repeat(40)),
  attestation: loadCommonConfig,
  ca: (env) => loadCaConfig(env, () => 'x'.repeat(40)),
  policy: loadPolicyConfig,
  revocation: loadCommonConfig,
  'operator-api': loadOperatorApiConfig,
};

/**
 * The variables a loader reads, found by running it over an environment that records every
 * lookup. A required secret it asks for is filled in and the loader run again, so both
 * `NAME` and `NAME_FILE` show up. `seed` gives the loader starting values (a feature switched
 * on, a folder to look in); the lookups are recorded all the same.
 */
export function variablesRead(load: (env: Env) => unknown, seed: Env = {}): string[] {
  const read = new Set<string>();
  const given: Env = { ...seed };
  for (let attempt = 0; attempt < 20; attempt++) {
    const env = new Proxy(given, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    });
    try {
      load(env);
      return [...read].sort();
    } catch (e) {
      if (!(e instanceof ConfigError) || given[e.variable] !== undefined) throw e;
      given[e.variable] = 'x'.repeat(40);
    }
  }
  throw new Error('loader keeps asking for more variables');
}

/** Every variable one service reads through libs/config, its operations port included. */
export function serviceVariables(service: ServiceName): string[] {
  return [...new Set([...variablesRead(SERVICE_CONFIG_LOADERS[service]), ...variablesRead((env) => loadOpsConfig(service, env))])].sort();
}
