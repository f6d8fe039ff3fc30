import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { ConfigError, EnvReader, opsPortVariable, redact, ServiceName } from '@iis/config';
import { ensureSecretFile, secretFilePath } from './local-secrets';
import { startLocalNatsCluster } from './nats-cluster';
import { ensureNatsTls } from './nats-tls';
import { portPicker } from './ports';
import { RunningService, ServiceId, startService, stopService } from './service-processes';
import { requireCommand } from './system-packages';

/**
 * `npm run cluster`: the scale-out topology as plain processes on loopback: three nats-server
 * nodes running deploy/cluster/nats/ (routes, JetStream, replicas 3, TLS for clients, routes and
 * leaf nodes with certificates made in DATA_DIR/nats-tls, the per-service users of users.conf),
 * PostgreSQL (a database on the machine's server), two instances of every service, each with
 * its own NATS user. Prints where everything is; Ctrl-C stops it all.
 */
const log = (line: string) => process.stdout.write(`[cluster]      ${line}\n`);
const SERVICES: ServiceId[] = ['ca', 'policy', 'attestation', 'revocation', 'onboarding', 'operator-api'];
const INSTANCES = 2;
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * DATABASE_URL as given, else a database `iis_cluster` made on the machine's PostgreSQL. The
 * database and the data folder belong together: the CA keys stored in it are encrypted with the
 * folder's passphrase, so a new data folder (another clone, a removed `data/`) does not take over
 * a database an earlier one made: it stops and says how to go on.
 */
async function clusterDatabase(r: EnvReader, newDataFolder: boolean): Promise<string> {
  const given = r.url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  if (given) return given;
  const admin = r.url('CLUSTER_POSTGRES_ADMIN_URL', 'postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:'])!;
  const c = new Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(`cannot reach PostgreSQL at ${redact(admin)} (${(e as Error).message}); set DATABASE_URL, or CLUSTER_POSTGRES_ADMIN_URL to a role that may create databases`);
  }
  try {
    const name = r.string('CLUSTER_DATABASE', 'iis_cluster');
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new ConfigError('CLUSTER_DATABASE', 'lower-case letters, digits and _ only');
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await c.query(`CREATE DATABASE ${name}`);
    } else if (newDataFolder) {
      throw new Error(
        `the database ${name} on ${new URL(admin).host} was made by another cluster data folder, whose passphrase encrypts the CA keys in it; ` +
          `drop it (psql '${redact(admin)}' -c 'DROP DATABASE ${name}'), choose another (CLUSTER_DATABASE=<name> npm run cluster), ` +
          `or point DATA_DIR at the folder that made it`,
      );
    }
    const made = new URL(admin);
    made.pathname = `/${name}`;
    return made.toString();
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const r = new EnvReader();
  const dataDir = path.resolve(r.string('DATA_DIR', path.join('data', 'cluster')));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  requireCommand('nats-server', 'nats-server', log);
  requireCommand('openssl', 'openssl', log);
  // Before the passphrase file is made: a data folder without one is new.
  const newDataFolder = !process.env.CA_KEY_PASSPHRASE_FILE && !fs.existsSync(secretFilePath(dataDir, 'ca-key-passphrase'));
  const databaseUrl = await clusterDatabase(r, newDataFolder);
  // Made as soon as the database is this folder's: a start that fails later (NATS, TLS) must not leave a database the next start takes for another folder's.
  const caKeyPassphraseFile = process.env.CA_KEY_PASSPHRASE_FILE || ensureSecretFile(dataDir, 'ca-key-passphrase');

  // One generated password per NATS user, kept in DATA_DIR/secrets like the other local secrets.
  const users: (ServiceName | 'agent' | 'site')[] = [...SERVICES, 'agent', 'site'];
  const passwordFile = (u: string) => ensureSecretFile(dataDir, `nats-${u}`);
  const natsPasswords = Object.fromEntries(users.map((u) => [`NATS_PASSWORD_${u.toUpperCase().replace(/-/g, '_')}`, fs.readFileSync(passwordFile(u), 'utf8').trim()]));
  const natsTls = ensureNatsTls(path.join(dataDir, 'nats-tls'));
  const startNats = () => startLocalNatsCluster(path.join(dataDir, 'nats'), path.join(repoRoot, 'deploy', 'cluster', 'nats'), natsPasswords, natsTls, log);
  // Free ports are picked before nats-server binds them; another process may take one meanwhile: one more try.
  const nats = await startNats().catch((e: Error) => {
    log(`NATS cluster did not start (${e.message}); trying again on other ports`);
    return startNats();
  });
  log(`NATS cluster: ${nats.seeds.join(', ')} (JetStream, 3 nodes)`);

  const base: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    NO_COLOR: '1',
    NATS_URL: nats.seeds.join(','),
    JETSTREAM_REPLICAS: '3',
    // The services reach NATS over TLS (tls:// seeds); Node trusts the cluster's CA through this.
    NODE_EXTRA_CA_CERTS: natsTls.caFile,
    DATABASE_URL: databaseUrl,
    CA_KEY_PASSPHRASE_FILE: caKeyPassphraseFile,
    SECRET_HASH_KEY_FILE: process.env.SECRET_HASH_KEY_FILE || ensureSecretFile(dataDir, 'enrollment-secret-hash-key'),
  };
  delete base.CA_KEY_PASSPHRASE;
  delete base.SECRET_HASH_KEY;

  const running: RunningService[] = [];
  const urls: string[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await Promise.all(running.map((s) => stopService(s)));
    await nats.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // Twelve instances pick their ports before any has bound them: each must get its own.
  const freePort = portPicker();
  const launch = async (id: ServiceId, instance: number): Promise<RunningService> => {
    const env: NodeJS.ProcessEnv = { ...base, NATS_USER: id, NATS_PASSWORD_FILE: passwordFile(id) };
    const ops = await freePort();
    env[opsPortVariable(id)] = String(ops);
    const label = `${id}#${instance}`;
    const listens: string[] = [`ops http://127.0.0.1:${ops}`];
    if (id === 'onboarding') {
      env.EST_HOST = '127.0.0.1';
      env.EST_PORT = String(await freePort());
      listens.unshift(`EST https://localhost:${env.EST_PORT}/.well-known/est`);
    }
    if (id === 'ca') {
      env.CA_HTTP_PORT = String(await freePort());
      listens.unshift(`CRL/OCSP http://127.0.0.1:${env.CA_HTTP_PORT}`);
    }
    if (id === 'operator-api') {
      env.API_PORT = String(await freePort());
      listens.unshift(`API http://127.0.0.1:${env.API_PORT}/api/v1`);
    }
    const s = startService(id, env, (line) => process.stdout.write(line + '\n'), label);
    s.child.once('exit', (code, signal) => {
      if (!stopping) log(`${label} stopped (${signal ?? code}); the other instance carries on`);
    });
    running.push(s);
    urls.push(`  ${label.padEnd(16)}${listens.join('   ')}`);
    return s;
  };

  try {
    // The CA first (it creates the hierarchy), then one of each, then the second instances.
    await (await launch('ca', 1)).ready;
    await Promise.all((await Promise.all(SERVICES.filter((s) => s !== 'ca').map((id) => launch(id, 1)))).map((s) => s.ready));
    for (let i = 2; i <= INSTANCES; i++) await Promise.all((await Promise.all(SERVICES.map((id) => launch(id, i)))).map((s) => s.ready));
  } catch (e) {
    process.stderr.write(`[cluster]      the cluster did not start: ${(e as Error).message}\n`);
    await stopAll(1);
    return;
  }
  const agentUrl = `tls://agent:${natsPasswords.NATS_PASSWORD_AGENT}@127.0.0.1:${nats.nodes[0].clientPort}`;
  process.stdout.write(
    [
      '',
      `IoT Identity Suite cluster is running (${INSTANCES} instances of each service).`,
      ...urls,
      `  NATS nodes:       ${nats.nodes.map((n) => `${n.name} tls://127.0.0.1:${n.clientPort} (monitor http://127.0.0.1:${n.monitorPort}, pid ${n.process.pid})`).join(', ')}`,
      `  NATS CA:          ${natsTls.caFile}  (TLS only; clients trust it, e.g. NODE_EXTRA_CA_CERTS)`,
      `  Agent NATS URL:   ${redact(agentUrl)}  (password in ${passwordFile('agent')})`,
      `  Leaf nodes:       ${nats.nodes.map((n) => `tls://127.0.0.1:${n.leafPort}`).join(', ')} (user site; CA ${natsTls.caFile}; see deploy/cluster/nats/leaf-site.conf)`,
      `  PostgreSQL:       ${redact(databaseUrl)}`,
      `  Data folder:      ${dataDir}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
  log('cluster ready');
}

main().catch((e: Error) => {
  const message = e instanceof ConfigError ? `configuration error: ${e.message}` : e.message;
  process.stderr.write(`[cluster]      ${message}\n`);
  process.exit(1);
});
