import * as os from 'node:os';
import { ApiClient, DEFAULT_API_URL, DEFAULT_TIMEOUT_MS } from './api-client';
import { checker } from './args';
import type { AgentLib } from './commands/agent';
import { resolveToken } from './credentials';
import { CliError, ExitCode } from './exit-codes';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** stderr is a terminal: progress bars redraw in place there. */
  stderrIsTTY?: boolean;
}

/** Where signals come from; `process` in real life, an EventEmitter in a spec. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** What a command reaches outside its arguments and environment. Specs replace any of it. */
export interface Deps {
  fetch: typeof fetch;
  now(): Date;
  cwd(): string;
  hostname(): string;
  signals: SignalSource;
  /** Loaded only by `agent`, so that no other command loads the NATS client. */
  loadAgentLib(): AgentLib;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  io: Io;
  deps: Deps;
  /** The API client, made on first use: settings and token are read only by commands that call the API. */
  api(): ApiClient;
}

export interface Command {
  /** The words that select it: `device add`. */
  name: string;
  usage: string;
  summary: string;
  /** Resolves to the exit code; expected failures are thrown as CliError. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

export const defaultDeps: Deps = {
  fetch: (...args) => fetch(...args),
  now: () => new Date(),
  cwd: () => process.cwd(),
  hostname: () => os.hostname(),
  signals: process,
  loadAgentLib: () =>
    // A require inside the function, not an import at the top: see Deps.loadAgentLib.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@iis/revocation-client') as AgentLib,
};

export function createContext(env: NodeJS.ProcessEnv, io: Io, deps: Deps): CommandContext {
  let client: ApiClient | undefined;
  return {
    env,
    io,
    deps,
    api() {
      client ??= createApiClient(env, io, deps);
      return client;
    },
  };
}

/** Settings first (a bad one names its variable), then the token, then any warnings. */
function createApiClient(env: NodeJS.ProcessEnv, io: Io, deps: Deps): ApiClient {
  const check = checker();
  const baseUrl = check.url('IDCTL_API_URL', env.IDCTL_API_URL || DEFAULT_API_URL, ['http:', 'https:']);
  const url = new URL(baseUrl);
  if (url.username || url.password) {
    throw new CliError(ExitCode.Usage, 'IDCTL_API_URL must not contain a user or password; the token goes in IDCTL_TOKEN');
  }
  const timeoutMs = env.IDCTL_TIMEOUT_SECONDS ? check.seconds('IDCTL_TIMEOUT_SECONDS', env.IDCTL_TIMEOUT_SECONDS) * 1000 : DEFAULT_TIMEOUT_MS;

  const resolved = resolveToken(env, deps.cwd());
  for (const warning of resolved.warnings) io.stderr(`idctl: ${warning}\n`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    io.stderr(`idctl: warning: sending the operator token over plain HTTP to ${url.host}\n`);
  }
  return new ApiClient({ baseUrl, token: resolved.token, tokenSource: resolved.source, timeoutMs, fetch: deps.fetch });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
