import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact, suiteNatsUrl } from '@iis/config';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';


/** The part of `@iis/revocation-client` that idctl uses. */
export interface AgentOptions {
  natsUrl: string;
  dir: string;
  name: string;
  httpPort?: number;
  log?: (line: string) => void;
  mosquitto?: { pidFile: string; admin?: { url: string; username: string; password: string } };
  brokerIdentity?: { certFile: string; keyFile: string; names: string[] };
  nginx?: { pidFile: string };
  trustAnchorFile?: string;
}
export interface RunningAgent {
  ready: Promise<void>;
  stop(): Promise<void>;
}
export interface AgentLib {
  runAgent(opts: AgentOptions): Promise<RunningAgent>;
}

/** Exit status after a second SIGINT/SIGTERM cut a slow stop short (128 + SIGINT, as shells do). */
export const EXIT_INTERRUPTED = 130;

export const agent: Command = {
  name: 'agent',
  usage:
    'idctl agent --dir DIR [--nats URL] [--name NAME] [--http-port N] [--mosquitto-pid-file F [--mosquitto-admin-url URL --mosquitto-admin-user U]] [--json]\n' +
    '      NATS: --nats, else NATS_URL, else the one npm start runs. Mosquitto: SIGHUP to the pid in F after each CRL update;\n' +
    '      with the dynamic security admin endpoint (password from IDCTL_MOSQUITTO_ADMIN_PASSWORD or _FILE), live sessions of revoked devices are cut.\n' +
    '      --nginx-pid-file F: reload nginx (ssl_crl DIR/crl.pem) after each CRL update.\n' +
    '      --broker-cert F --broker-key K --broker-names host[,ip…]: keep the broker\'s own server certificate fresh (renewed at ~2/3 of its life).\n' +
    '      --trust-anchor F: PEM root certificate(s) revocation signers must chain to (default: the CA\'s root, first seen, then kept in DIR/ca-chain.pem).',
  summary: 'run the gateway agent: follow revocations from NATS into DIR until SIGINT/SIGTERM',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      {
        dir: { type: 'string' },
        nats: { type: 'string' },
        name: { type: 'string' },
        'http-port': { type: 'string' },
        'mosquitto-pid-file': { type: 'string' },
        'broker-cert': { type: 'string' },
        'nginx-pid-file': { type: 'string' },
        'broker-key': { type: 'string' },
        'broker-names': { type: 'string' },
        'trust-anchor': { type: 'string' },
        'mosquitto-admin-url': { type: 'string' },
        'mosquitto-admin-user': { type: 'string' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const dir = path.resolve(ctx.deps.cwd(), check.text('--dir', values.dir));
    const natsUrl =
      values.nats !== undefined
        ? check.url('--nats', values.nats, ['nats:', 'tls:'])
        : ctx.env.NATS_URL
          ? check.url('NATS_URL', ctx.env.NATS_URL, ['nats:', 'tls:'])
          : check.url('the suite\'s nats-url file', suiteNatsUrl(path.resolve(ctx.deps.cwd(), ctx.env.DATA_DIR || 'data')) ?? DEFAULT_NATS_URL, ['nats:', 'tls:']);
    const name = values.name !== undefined ? check.name('--name', values.name) : defaultName(ctx.deps.hostname());
    const httpPort = values['http-port'] === undefined ? undefined : check.port('--http-port', values['http-port']);
    const mosquitto = mosquittoOptions(values, ctx.env, check);
    const brokerIdentity = brokerIdentityOptions(values, ctx.deps.cwd(), check);
    const nginx = values['nginx-pid-file'] === undefined ? undefined : { pidFile: path.resolve(ctx.deps.cwd(), check.text('--nginx-pid-file', values['nginx-pid-file'] as string)) };
    const trustAnchorFile = values['trust-anchor'] === undefined ? undefined : path.resolve(ctx.deps.cwd(), check.text('--trust-anchor', values['trust-anchor'] as string));
    const { io, deps } = ctx;
    const say = (event: string, human: string) =>
      io.stdout(values.json ? `${JSON.stringify({ event, dir, name, natsUrl: redact(natsUrl) })}\n` : `${human}\n`);

    let lib: AgentLib;
    try {
      lib = deps.loadAgentLib();
    } catch (e) {
      throw new CliError(ExitCode.Unavailable, `cannot load the gateway agent library (@iis/revocation-client): ${(e as Error).message}`);
    }

    // Listen before starting, so that a signal during start-up still ends in a clean stop.
    const signals = new SignalWaiter(deps.signals);
    // The command runs until a signal, whatever handles the library holds: an empty event loop
    // must not end the process with status 0 as if it had been asked to stop.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    try {
      let running: RunningAgent;
      try {
        running = await lib.runAgent({ natsUrl, dir, name, httpPort, mosquitto, brokerIdentity, nginx, trustAnchorFile, log: (line) => io.stderr(`${line}\n`) });
      } catch (e) {
        throw startFailure(natsUrl, e);
      }
      const ready = running.ready.then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const first = await Promise.race([ready, signals.first.then((signal) => ({ signal }))]);
      if ('ok' in first && !first.ok) {
        await running.stop().catch(() => undefined);
        throw startFailure(natsUrl, first.error);
      }
      if ('ok' in first) {
        say('ready', `agent: following revocations (dir=${dir})`);
      }

      io.stderr(`agent: stopping (${await signals.first})\n`);
      const stop = running.stop().then(
        () => 'stopped' as const,
        (e: unknown) => {
          throw new CliError(ExitCode.Unavailable, `the agent did not stop cleanly: ${(e as Error)?.message ?? String(e)}`);
        },
      );
      const stopped = await Promise.race([stop, signals.second.then(() => 'forced' as const)]);
      if (stopped === 'forced') {
        io.stderr('agent: second signal; exiting without waiting for a clean stop\n');
        return EXIT_INTERRUPTED;
      }
      say('stopped', 'agent: stopped');
      return ExitCode.Ok;
    } finally {
      clearInterval(keepAlive);
      signals.dispose();
    }
  },
};

function startFailure(natsUrl: string, e: unknown): CliError {
  return new CliError(ExitCode.Unavailable, `the agent could not start (NATS at ${redact(natsUrl)}): ${(e as Error)?.message ?? String(e)}`);
}

/** The host's short name, cut to what `--name` accepts. */
export function defaultName(hostname: string): string {
  const short = hostname.split('.')[0].replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[-_]+/, '').slice(0, 64);
  return short || 'gateway';
}

/** Resolves `first` on the first SIGINT/SIGTERM and `second` on the next one. */
class SignalWaiter {
  readonly first: Promise<NodeJS.Signals>;
  readonly second: Promise<NodeJS.Signals>;
  private count = 0;
  private readonly listeners: [NodeJS.Signals, () => void][] = [];

  constructor(private readonly source: { on(s: NodeJS.Signals, l: () => void): unknown; off(s: NodeJS.Signals, l: () => void): unknown }) {
    let onFirst!: (s: NodeJS.Signals) => void;
    let onSecond!: (s: NodeJS.Signals) => void;
    this.first = new Promise((resolve) => (onFirst = resolve));
    this.second = new Promise((resolve) => (onSecond = resolve));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const listener = () => (++this.count === 1 ? onFirst(signal) : onSecond(signal));
      source.on(signal, listener);
      this.listeners.push([signal, listener]);
    }
  }

  dispose(): void {
    for (const [signal, listener] of this.listeners) this.source.off(signal, listener);
  }
}

/** Mosquitto settings from flags; the admin password only from the environment or a file, never argv. */
function mosquittoOptions(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  check: ReturnType<typeof checker>,
): AgentOptions['mosquitto'] {
  const pidFile = values['mosquitto-pid-file'];
  const url = values['mosquitto-admin-url'];
  const user = values['mosquitto-admin-user'];
  if (pidFile === undefined) {
    if (url !== undefined || user !== undefined) throw new CliError(ExitCode.Usage, '--mosquitto-admin-url and --mosquitto-admin-user go with --mosquitto-pid-file');
    return undefined;
  }
  const options: NonNullable<AgentOptions['mosquitto']> = { pidFile: check.text('--mosquitto-pid-file', pidFile as string) };
  if (url === undefined && user === undefined) return options;
  if (url === undefined || user === undefined) throw new CliError(ExitCode.Usage, '--mosquitto-admin-url and --mosquitto-admin-user go together');
  let password = env.IDCTL_MOSQUITTO_ADMIN_PASSWORD;
  if (!password && env.IDCTL_MOSQUITTO_ADMIN_PASSWORD_FILE) {
    try {
      password = fs.readFileSync(env.IDCTL_MOSQUITTO_ADMIN_PASSWORD_FILE, 'utf8').trim();
    } catch (e) {
      throw new CliError(ExitCode.Usage, `cannot read IDCTL_MOSQUITTO_ADMIN_PASSWORD_FILE: ${(e as Error).message}`);
    }
  }
  if (!password) throw new CliError(ExitCode.Usage, 'set IDCTL_MOSQUITTO_ADMIN_PASSWORD or IDCTL_MOSQUITTO_ADMIN_PASSWORD_FILE for the Mosquitto admin user');
  options.admin = { url: check.url('--mosquitto-admin-url', url as string, ['mqtt:', 'mqtts:']), username: check.text('--mosquitto-admin-user', user as string), password };
  return options;
}

/** The broker's own certificate files and names, from flags; all three or none. */
function brokerIdentityOptions(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
  check: ReturnType<typeof checker>,
): AgentOptions['brokerIdentity'] {
  const cert = values['broker-cert'];
  const key = values['broker-key'];
  const names = values['broker-names'];
  if (cert === undefined && key === undefined && names === undefined) return undefined;
  if (cert === undefined || key === undefined || names === undefined) throw new CliError(ExitCode.Usage, '--broker-cert, --broker-key and --broker-names go together');
  const list = check.text('--broker-names', names as string).split(',').map((n) => n.trim()).filter(Boolean);
  if (list.length === 0 || list.some((n) => !/^[A-Za-z0-9.:*-]{1,253}$/.test(n))) throw new CliError(ExitCode.Usage, '--broker-names takes host names or IP addresses separated by commas');
  return { certFile: path.resolve(cwd, check.text('--broker-cert', cert as string)), keyFile: path.resolve(cwd, check.text('--broker-key', key as string)), names: list };
}
