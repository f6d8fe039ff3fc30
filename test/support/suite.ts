import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { portPicker } from '../../tools/launcher/src/ports';
import { freeOpsPorts } from './ops-ports';

/** The repository root, whether this file runs from test/support (jest) or from dist/ (bench). */
export const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') dir = path.dirname(dir);
  return dir;
})();

export interface RunningSuite {
  /** The launcher's process; the services and nats-server are its children. */
  pid: number;
  dataDir: string;
  natsUrl: string;
  estUrl: string;
  apiUrl: string;
  caUrl: string;
  token: string;
  output: () => string;
  /** Environment for idctl pointing at this suite. */
  idctlEnv: NodeJS.ProcessEnv;
  stop(): Promise<number | null>;
}

/**
 * The environment the launcher gets from startSuite: `dir` as its data folder, free ports for
 * EST, the API, the CA and the operations listeners, its own nats-server on a random port.
 */
export async function suiteEnv(dir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; est: number; api: number; ca: number }> {
  // Nine distinct ports (EST, API, CA and the six operations ports), none bound before the
  // launcher starts: the launcher keeps its own picks (its nats-server's port) apart from them.
  const freePort = portPicker();
  const [est, api, ca] = [await freePort(), await freePort(), await freePort()];
  // Operations ports on free ports too: suites started side by side (tests, benches) would
  // otherwise race for the defaults between the launcher's check and the service's bind.
  const opsPorts = await freeOpsPorts(freePort);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opsPorts,
    DATA_DIR: dir,
    NATS_PORT: '0',
    EST_PORT: String(est),
    EST_HOST: '127.0.0.1',
    API_PORT: String(api),
    CA_HTTP_PORT: String(ca),
    NATS_URL: '',
    ...extraEnv,
  };
  return { env, est, api, ca };
}

/**
 * Starts the suite exactly as `npm start` does (the built launcher), in a temporary data
 * folder, on free ports, with its own nats-server on a random port (NATS_PORT=0).
 */
export async function startSuite(extraEnv: NodeJS.ProcessEnv = {}, dataDir?: string): Promise<RunningSuite> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'iis-e2e-'));
  const { env, est, api, ca } = await suiteEnv(dir, extraEnv);
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/tools/launcher/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`suite not ready within 90 s:\n${out}`)), 90_000);
    const check = setInterval(() => {
      if (out.includes('suite ready')) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`launcher exited (${code}) before the suite was ready:\n${out}`));
    });
  });
  const natsUrl = /NATS:\s+(nats:\/\/\S+)/.exec(out)![1];
  const apiUrl = `http://127.0.0.1:${api}/api/v1`;
  const token = fs.readFileSync(path.join(dir, 'operator-token'), 'utf8').trim();
  return {
    pid: child.pid!,
    dataDir: dir,
    natsUrl,
    estUrl: `https://localhost:${est}/.well-known/est`,
    apiUrl,
    caUrl: `http://127.0.0.1:${ca}`,
    token,
    output: () => out,
    idctlEnv: { ...process.env, IDCTL_API_URL: apiUrl, DATA_DIR: dir, IDCTL_TOKEN: '', IDCTL_TOKEN_FILE: '' },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
