import { DEFAULT_OPS_PORTS, opsPortVariable } from '../../libs/config/src/ops-config';
import { freePort } from '../../tools/launcher/src/ports';

/**
 * A free operations port for every service, as environment for startSuite: on a machine where
 * other suites run at the same time, the default ports (9101…) are often taken between the
 * launcher's check and the service's listen.
 */
export async function freeOpsPorts(pick: () => Promise<number> = freePort): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  for (const service of Object.keys(DEFAULT_OPS_PORTS) as (keyof typeof DEFAULT_OPS_PORTS)[]) env[opsPortVariable(service)] = String(await pick());
  return env;
}
