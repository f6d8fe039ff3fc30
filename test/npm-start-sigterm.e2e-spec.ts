import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, descendants } from './support/processes';
import { eventually } from './support/ops';
import { repoRoot, suiteEnv } from './support/suite';
import { waitFor } from './support/wait';

/**
 * A service manager (systemd, docker stop, a CI runner) stops `npm start` with SIGTERM to npm's
 * own process, not to the process group as Ctrl-C does. npm passes it to the script's shell;
 * without `exec` in the script the shell died and the launcher, its nats-server and the
 * services went on running, orphaned.
 */
describe('npm start stopped with SIGTERM', () => {
  it('stops the launcher, its nats-server and every service', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-sigterm-'));
    const { env } = await suiteEnv(dataDir);
    const npm = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let started: number[] = [];
    npm.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    npm.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor(() => out, /\[launcher\]\s+suite ready/, 110_000, 'the suite to be ready');
      started = descendants(npm.pid!);
      // The launcher, nats-server and six services at least.
      expect(started.length).toBeGreaterThanOrEqual(8);
      const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
      npm.kill('SIGTERM');
      await exited;
      await eventually(async () => !started.some(alive), 20_000, 'every process of the suite to exit');
      expect(out).toMatch(/\[launcher\]\s+stopped/);
    } finally {
      // Whatever is left (this test failing) must not outlive it.
      // (npm's own children are asked only while npm runs: after, its pid may be another process's.)
      for (const pid of [...(npm.exitCode === null ? descendants(npm.pid!) : []), ...started].filter(alive)) process.kill(pid, 'SIGKILL');
      if (npm.exitCode === null) npm.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
