import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import { ConfigError, DEFAULT_OPS_PORTS, EnvReader, loadCommonConfig, natsUrlFile, opsPortVariable } from '@iis/config';
import { startEmbeddedNats } from './embedded-nats';
import { ensureSecretFile } from './local-secrets';
import { portFree, portPicker } from './ports';
import { RunningService, ServiceId, startService, stopService } from './service-processes';
import { requireCommand } from './system-packages';

/**
 * `npm start`: the whole suite on one machine. Starts a local nats-server with JetStream
 * (unless NATS_URL points elsewhere), the CA first (it creates the hierarchy on first
 * start), then every other service, each its own process; prints where everything is.
 * Ctrl-C stops it all.
 */
const RESTART_DELAY_MS = 1000;
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS = 5;

const log = (line: string) => process.stdout.write(`[launcher]     ${line}\n`);

interface Listener {
  variable: string;
  what: string;
  host: string;
  port: number;
}

async function main(): Promise<void> {
  const r = new EnvReader();
  const common = loadCommonConfig();
  const dataDir = common.dataDir;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const listeners: Listener[] = [
    { variable: 'EST_PORT', what: 'EST (device-facing HTTPS)', host: r.string('EST_HOST', '0.0.0.0'), port: r.port('EST_PORT', 8443) },
    { variable: 'API_PORT', what: 'operator API', host: r.string('API_HOST', '127.0.0.1'), port: r.port('API_PORT', 8080) },
    { variable: 'CA_HTTP_PORT', what: 'CRL / CA certificates', host: r.string('CA_HTTP_HOST', '127.0.0.1'), port: r.port('CA_HTTP_PORT', 8081) },
  ];
  for (const l of listeners) {
    if (!(await portFree(l.port, l.host))) {
      throw new Error(`port ${l.port} (${l.what}) is already in use on ${l.host}. Stop what uses it, or choose another port: ${l.variable}=<port> npm start`);
    }
  }

  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NO_COLOR: '1' };
  if (!env.CA_KEY_PASSPHRASE && !env.CA_KEY_PASSPHRASE_FILE) env.CA_KEY_PASSPHRASE_FILE = ensureSecretFile(dataDir, 'ca-key-passphrase');
  if (!env.SECRET_HASH_KEY && !env.SECRET_HASH_KEY_FILE) env.SECRET_HASH_KEY_FILE = ensureSecretFile(dataDir, 'enrollment-secret-hash-key');
  for (const l of listeners) env[l.variable] = String(l.port);
  // A port picked from here on is none the suite's services were told to listen on (not bound yet).
  const freePort = portPicker(listeners.map((l) => l.port));
  // Each service's health/readiness/metrics port: as set, else its default, else any free one.
  const opsHost = r.string('OPS_HOST', '127.0.0.1');
  const opsPorts = new Map<ServiceId, number>();
  for (const id of Object.keys(DEFAULT_OPS_PORTS) as ServiceId[]) {
    const variable = opsPortVariable(id);
    const wanted = r.port(variable, DEFAULT_OPS_PORTS[id]);
    const port = process.env[variable] || (await portFree(wanted, opsHost)) ? wanted : await freePort();
    opsPorts.set(id, port);
    env[variable] = String(port);
    freePort.reserve(port);
  }

  let nats: ChildProcess | undefined;
  if (process.env.NATS_URL) {
    log(`using the NATS at ${process.env.NATS_URL} (NATS_URL)`);
  } else {
    requireCommand('nats-server', 'nats-server', log);
    const embedded = await startEmbeddedNats(dataDir, r.port('NATS_PORT', 4222), log, freePort);
    nats = embedded.process;
    env.NATS_URL = embedded.url;
    log(`nats-server with JetStream on ${embedded.url} (store ${path.join(dataDir, 'nats')})`);
  }

  // Where this suite's NATS is, for `idctl agent` started from the repository.
  fs.writeFileSync(natsUrlFile(dataDir), `${env.NATS_URL}\n`);
  const tokenFile = path.join(dataDir, 'operator-token');
  const firstStart = !fs.existsSync(tokenFile);
  const services: RunningService[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await Promise.all(services.map((s) => stopService(s)));
    if (nats && nats.exitCode === null && nats.signalCode === null) {
      const exited = new Promise((r) => nats!.once('exit', r));
      nats.kill('SIGTERM');
      await exited;
    }
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  let running = false;
  const crashes = new Map<ServiceId, number[]>();
  const launch = (id: ServiceId): RunningService => {
    const s = startService(id, env, (line) => process.stdout.write(line + '\n'));
    s.child.once('exit', (code, signal) => {
      if (stopping) return;
      services.splice(services.indexOf(s), 1);
      // Once the suite runs, a crashed service is restarted (state lives in the database
      // and JetStream, so nothing is lost); one that keeps crashing stops the suite.
      const recent = [...(crashes.get(id) ?? []), Date.now()].filter((t) => Date.now() - t < RESTART_WINDOW_MS);
      crashes.set(id, recent);
      if (!running || recent.length > MAX_RESTARTS) {
        log(`${id} stopped unexpectedly (${signal ?? code}); stopping the suite`);
        void stopAll(1);
        return;
      }
      log(`${id} stopped unexpectedly (${signal ?? code}); restarting it`);
      setTimeout(() => {
        if (stopping) return;
        const again = launch(id);
        again.ready.then(() => log(`${id} restarted`)).catch(() => undefined);
      }, RESTART_DELAY_MS);
    });
    services.push(s);
    return s;
  };

  try {
    // The CA first: on first start it creates the hierarchy the others depend on.
    await launch('ca').ready;
    const rest: ServiceId[] = ['policy', 'attestation', 'revocation', 'onboarding', 'operator-api'];
    await Promise.all(rest.map((id) => launch(id).ready));
    running = true;
  } catch (e) {
    process.stderr.write(`[launcher]     the suite did not start: ${(e as Error).message}\n`);
    await stopAll(1);
    return;
  }

  const host = (h: string) => (h === '0.0.0.0' || h === '127.0.0.1' ? 'localhost' : h);
  const [est, api, ca] = listeners;
  const summary = [
    '',
    'IoT Identity Suite is running.',
    `  EST (devices):      https://${host(est.host)}:${est.port}/.well-known/est`,
    `  CRL / CA certs:     http://${host(ca.host)}:${ca.port}   (CA chain: /ca/chain.pem, CRL: /crl/<issuer>.crl)`,
    `  Operator API:       http://${host(api.host)}:${api.port}/api/v1`,
    `  Web console:        http://${host(api.host)}:${api.port}/console   (log in with an operator token)`,
    `  NATS:               ${env.NATS_URL}`,
    `  Health and metrics: ${[...opsPorts].map(([id, port]) => `${id} http://${host(opsHost)}:${port}`).join(', ')}`,
    `                      (/health/live, /health/ready, /metrics)`,
    `  Data folder:        ${dataDir}`,
  ];
  if (firstStart && fs.existsSync(tokenFile)) {
    summary.push(`  Operator token:     ${fs.readFileSync(tokenFile, 'utf8').trim()}`);
    summary.push(`                      (first start: shown once here; also stored in ${tokenFile}, mode 0600, where idctl finds it)`);
  } else {
    summary.push(`  Operator token:     in ${tokenFile} (idctl reads it from there)`);
  }
  summary.push('Press Ctrl-C to stop.', '');
  process.stdout.write(summary.join('\n') + '\n');
  log('suite ready');
}

main().catch((e: Error) => {
  const message = e instanceof ConfigError ? `configuration error: ${e.message}` : e.message;
  process.stderr.write(`[launcher]     ${message}\n`);
  process.exit(1);
});
