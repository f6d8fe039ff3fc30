import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

export type ServiceId = 'ca' | 'policy' | 'attestation' | 'revocation' | 'onboarding' | 'operator-api';

export interface RunningService {
  id: ServiceId;
  child: ChildProcess;
  ready: Promise<void>;
}

/**
 * V8's young generation of a service may grow to 64 MB semi-spaces (V8's default stops at 16 MB).
 * Under EST load (64 clients, keep-alive) onboarding allocates ~175 KB per enrollment and
 * scavenged every ~70 enrollments at ~8 ms each; with 64 MB it scavenges a quarter as often, and
 * in interleaved runs its CPU per enrollment went from 1.21-1.31 to 0.98-1.05 ms (CA 0.51-0.57 to
 * 0.44-0.48 ms), at the cost of up to ~100 MB more resident memory in a service that allocates
 * that fast. A service that allocates little never grows its young generation that far.
 */
export const SERVICE_MAX_SEMI_SPACE_MB = 64;

/** The launcher's own node flags for a service, plus the young generation size unless the operator chose one (flags or NODE_OPTIONS). */
export function serviceExecArgv(execArgv: string[], nodeOptions: string | undefined): string[] {
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => /^--max[-_]semi[-_]space[-_]size\b/.test(a));
  return chosen ? execArgv : [...execArgv, `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MB}`];
}

/** dist/tools/launcher/src → dist/services/<id>/src/main.js */
function entryPoint(id: ServiceId): string {
  return path.resolve(__dirname, '..', '..', '..', 'services', id, 'src', 'main.js');
}

/**
 * Starts one service as its own process, its output prefixed with its name. `ready`
 * resolves when the service reports it takes requests, and rejects if it exits first.
 */
export function startService(id: ServiceId, env: NodeJS.ProcessEnv, write: (line: string) => void, label: string = id): RunningService {
  const child = fork(entryPoint(id), [], { env, execArgv: serviceExecArgv(process.execArgv, env.NODE_OPTIONS), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const prefix = `[${label}]`.padEnd(15);
  const pipe = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.on('data', (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) write(`${prefix}${l}`);
    });
  };
  pipe(child.stdout);
  pipe(child.stderr);
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`${id} exited (${signal ?? code}) before it was ready`)));
  });
  ready.catch(() => undefined);
  return { id, child, ready };
}

/** SIGTERM, then SIGKILL after a grace period. */
export function stopService(s: RunningService, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    s.child.kill('SIGTERM');
  });
}
