import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { opsPortVariable } from '../../libs/config/src/ops-config';
import type { ServiceName } from '../../libs/config/src/suite-config';
import { repoRoot, RunningSuite } from './suite';
import { startNodeProcess } from './node-process';

export interface ServiceInstance {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * One more instance of a service beside a launched suite: same data folder (or DATABASE_URL),
 * same NATS, same secrets, any free operations port. Resolves once it says it is ready.
 */
export async function startServiceInstance(service: ServiceName, suite: RunningSuite, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceInstance> {
  const secrets = path.join(suite.dataDir, 'secrets');
  const env = {
    ...process.env,
    DATA_DIR: suite.dataDir,
    NATS_URL: suite.natsUrl,
    CA_KEY_PASSPHRASE_FILE: path.join(secrets, 'ca-key-passphrase'),
    SECRET_HASH_KEY_FILE: path.join(secrets, 'enrollment-secret-hash-key'),
    [opsPortVariable(service)]: '0',
    ...extraEnv,
  };
  const { child, output, exited } = await startNodeProcess(path.join(repoRoot, `dist/services/${service}/src/main.js`), env, /"msg":"ready \(NATS/, `a second ${service} instance starting`, 60_000);
  return {
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
