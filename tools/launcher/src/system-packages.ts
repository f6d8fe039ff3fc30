import { execFileSync, spawnSync } from 'node:child_process';

let packageListsUpdated = false;

/** Is `command` on PATH? */
export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure a Debian package's command exists: as root it installs the package with
 * apt-get (and says so); otherwise it stops with the exact command to run.
 */
export function requireCommand(command: string, debianPackage: string, log: (s: string) => void): void {
  if (onPath(command)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`${command} is not installed. Install it with:\n\n    sudo apt-get install -y ${debianPackage}\n`);
  }
  log(`${command} is missing: installing the Debian package ${debianPackage} with apt-get (running as root)`);
  if (!packageListsUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  packageListsUpdated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!onPath(command)) throw new Error(`installed ${debianPackage} but ${command} is still not on PATH`);
}
