import * as fs from 'node:fs';

/**
 * Reloads a server that rereads its files on a signal (Mosquitto and nginx on SIGHUP), found
 * through its pid file. Failures are logged, never thrown: the agent keeps enforcing.
 */
export class PidFileReloader {
  constructor(
    private readonly what: string,
    private readonly pidFile: string,
    private readonly log: (line: string) => void,
    private readonly signal: NodeJS.Signals = 'SIGHUP',
    private readonly deps: { kill: (pid: number, s: NodeJS.Signals) => void; read: (f: string) => string } = {
      kill: (pid, s) => process.kill(pid, s),
      read: (f) => fs.readFileSync(f, 'utf8'),
    },
  ) {}

  reload(): boolean {
    let pid: number;
    try {
      pid = Number.parseInt(this.deps.read(this.pidFile).trim(), 10);
    } catch (e) {
      this.log(`agent: ${this.what}: cannot read pid file ${this.pidFile}: ${(e as Error).message}`);
      return false;
    }
    if (!Number.isInteger(pid) || pid <= 1) {
      this.log(`agent: ${this.what}: pid file ${this.pidFile} holds no pid`);
      return false;
    }
    try {
      this.deps.kill(pid, this.signal);
      this.log(`agent: ${this.what} reloaded crl (${this.signal} pid=${pid})`);
      return true;
    } catch (e) {
      this.log(`agent: ${this.what}: ${this.signal} to pid ${pid} failed: ${(e as Error).message}`);
      return false;
    }
  }
}
