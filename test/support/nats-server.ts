import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitForPort } from '../../tools/launcher/src/ports';

export interface TestNatsServerOptions {
  /** Its client port; a free one if absent. */
  port?: number;
  /** nats-server's arguments for the port; by default JetStream on loopback, stored in a temporary folder of its own. */
  args?: (port: number) => string[];
  env?: NodeJS.ProcessEnv;
  /** The server's log file (-l): its end is shown when the server exits before it listens. */
  logFile?: string;
}

/** A nats-server the test owns, so it can stop and restart it on the same port and store (JetStream unless `args` say otherwise). */
export class TestNatsServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** `options.args`, or JetStream stored in a folder made for it (kept across restarts). */
  private readonly args: (port: number) => string[];

  private constructor(
    readonly port: number,
    private readonly options: TestNatsServerOptions,
  ) {
    if (options.args) {
      this.args = options.args;
    } else {
      const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-nats-'));
      this.args = (p) => ['-a', '127.0.0.1', '-p', String(p), '-js', '-sd', storeDir];
    }
  }

  static async start(options: TestNatsServerOptions = {}): Promise<TestNatsServer> {
    const s = new TestNatsServer(options.port ?? (await freePort()), options);
    await s.restart();
    return s;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const { env = process.env, logFile } = this.options;
    const c = spawn('nats-server', [...this.args(this.port), ...(logFile ? ['-l', logFile] : [])], { env, stdio: 'ignore' });
    this.child = c;
    this.exited = new Promise<void>((r) => c.once('exit', () => r()));
    const log = () => (logFile && fs.existsSync(logFile) ? `:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}` : '');
    await Promise.race([waitForPort(this.port, '127.0.0.1', 15_000), this.exited.then(() => Promise.reject(new Error(`nats-server exited${log()}`)))]);
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    await this.exited;
  }
}
