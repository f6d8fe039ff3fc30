import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForPort } from '../../tools/launcher/src/ports';

export interface NginxServer {
  port: number;
  pidFile: string;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * A real nginx (Debian package) terminating mTLS for HTTP devices, set up as an operator
 * would for the suite: client certificates required from the suite's CA, the agent's CRL
 * bundle as `ssl_crl`. With `ssl_crl` nginx checks every certificate of the chain, so the
 * bundle must hold a CRL from each CA, the root's ARL included.
 */
export async function startNginx(opts: { dir: string; port: number; caFile: string; certFile: string; keyFile: string; crlFile: string }): Promise<NginxServer> {
  const pidFile = path.join(opts.dir, 'nginx.pid');
  const errorLog = path.join(opts.dir, 'nginx-error.log');
  const conf = path.join(opts.dir, 'nginx.conf');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const temp = path.join(opts.dir, 'nginx-temp');
  fs.mkdirSync(temp, { recursive: true });
  fs.writeFileSync(
    conf,
    [
      // Workers would otherwise drop to "nobody"; the test's files are the runner's.
      isRoot ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${pidFile};`,
      `error_log ${errorLog} info;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${path.join(opts.dir, 'nginx-access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(temp, t)};`),
      '  server {',
      `    listen 127.0.0.1:${opts.port} ssl;`,
      `    ssl_certificate ${opts.certFile};`,
      `    ssl_certificate_key ${opts.keyFile};`,
      `    ssl_client_certificate ${opts.caFile};`,
      '    ssl_verify_client on;',
      '    ssl_verify_depth 2;',
      `    ssl_crl ${opts.crlFile};`,
      '    location / { return 200 "hello $ssl_client_s_dn\\n"; }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('nginx', ['-e', errorLog, '-p', opts.dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const log = () => out + (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '');
  await waitForPort(opts.port, '127.0.0.1', 10_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${log()}`);
  });
  return {
    port: opts.port,
    pidFile,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
