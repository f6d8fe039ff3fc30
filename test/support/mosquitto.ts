import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForPort } from '../../tools/launcher/src/ports';
import { run } from './run';

export interface MosquittoBroker {
  port: number;
  adminPort: number;
  adminUser: string;
  adminPassword: string;
  pidFile: string;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * A real Mosquitto (Debian package) as a broker operator would set it up for the suite:
 * a TLS listener that requires client certificates from the suite's CA, takes the
 * certificate CN as the user name and reads the agent's CRL file; the dynamic security
 * plugin with an admin user on a loopback-only listener. `devices` are the user names the
 * operator provisioned in dynsec (dynsec refuses user names it does not know).
 */
export async function startMosquitto(opts: {
  dir: string;
  port: number;
  adminPort: number;
  caFile: string;
  certFile: string;
  keyFile: string;
  crlFile: string;
  devices: string[];
  adminPassword: string;
}): Promise<MosquittoBroker> {
  const adminPassword = opts.adminPassword;
  const dynsecFile = path.join(opts.dir, 'dynamic-security.json');
  const init = run('mosquitto_ctrl', ['dynsec', 'init', dynsecFile, 'admin', adminPassword]);
  if (init.code !== 0) throw new Error(`mosquitto_ctrl dynsec init failed: ${init.stderr}`);
  const dynsec = JSON.parse(fs.readFileSync(dynsecFile, 'utf8'));
  dynsec.defaultACLAccess = { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true };
  for (const username of opts.devices) dynsec.clients.push({ username, roles: [] });
  fs.writeFileSync(dynsecFile, JSON.stringify(dynsec, null, 1));
  const pidFile = path.join(opts.dir, 'mosquitto.pid');
  const conf = path.join(opts.dir, 'mosquitto.conf');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  fs.writeFileSync(
    conf,
    [
      // Mosquitto drops root privileges to "mosquitto" unless told otherwise; the test's files are the runner's.
      `user ${isRoot ? 'root' : os.userInfo().username}`,
      `pid_file ${pidFile}`,
      'per_listener_settings false',
      'plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
      `plugin_opt_config_file ${dynsecFile}`,
      `listener ${opts.port} 127.0.0.1`,
      `cafile ${opts.caFile}`,
      `certfile ${opts.certFile}`,
      `keyfile ${opts.keyFile}`,
      'require_certificate true',
      'use_identity_as_username true',
      `crlfile ${opts.crlFile}`,
      `listener ${opts.adminPort} 127.0.0.1`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('mosquitto', ['-c', conf, '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  await waitForPort(opts.port, '127.0.0.1', 10_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${out}`);
  });
  return {
    port: opts.port,
    adminPort: opts.adminPort,
    adminUser: 'admin',
    adminPassword,
    pidFile,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
