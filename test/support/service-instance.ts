import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { opsPortVariable } from '../../libs/config/src/ops-config';
import type { ServiceName } from '../../libs/config/src/suite-config';
import { repoRoot, RunningSuite } from './suite';
import { waitFor } from './wait';

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
  const child = spawn(process.execPath, [path.join(repoRoot, `dist/services/${service}/src/main.js`)], {
    env: {
      ...process.env,
      DATA_DIR: suite.dataDir,
      NATS_URL: suite.natsUrl,
      CA_KEY_PASSPHRASE_FILE: path.join(secrets, 'ca-key-passphrase'),
      SECRET_HASH_KEY_FILE: path.join(secrets, 'enrollment-secret-hash-key'),
      [opsPortVariable(service)]: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([
    waitFor(() => out, /"msg":"ready \(NATS/, 60_000, `a second ${service} instance starting`),
    exited.then(() => Promise.reject(new Error(`second ${service} instance exited:\n${out}`))),
  ]);
  return {
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
