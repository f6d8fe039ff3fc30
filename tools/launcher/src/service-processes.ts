import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

export type ServiceId = 'ca' | 'policy' | 'attestation' | 'revocation' | 'onboarding' | 'operator-api';

export interface RunningService {
  id: ServiceId;
  child: ChildProcess;
  ready: Promise<void>;
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
  const child = fork(entryPoint(id), [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
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
