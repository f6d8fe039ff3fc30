import { ChildProcess, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mqtt from 'mqtt';
import { freePort } from '../tools/launcher/src/ports';
import { OpensslDevice } from '../test/support/device';
import { MosquittoBroker, startMosquitto } from '../test/support/mosquitto';
import { run } from '../test/support/run';
import { repoRoot, RunningSuite, startSuite } from '../test/support/suite';
import { waitFor } from '../test/support/wait';
import { Benchmark, MEASURED_RUNS, WARMUP_RUNS } from './harness';
import { luhn } from '../test/support/sim';

/**
 * Revocation reach at a real Mosquitto 2 (TLS listener requiring client certificates, CRL file,
 * dynamic security plugin: test/support/mosquitto.ts), two ways, in the same run:
 * - by hand, as an operator does today: `openssl ca -revoke`, `openssl ca -gencrl` into the
 *   broker's crlfile, `kill -HUP` (scripted, so the minutes a person takes are not counted);
 * - ours: the revoke call to the operator API (the suite started as `npm start` does), the
 *   gateway agent (`idctl agent`) writing the CRL, reloading Mosquitto and cutting sessions.
 * Figure: from the start of the action until a new TLS connection with the revoked
 * certificate is refused (probed back to back with mqtt.js, so the resolution is one
 * handshake). A live MQTT session with the same certificate is held throughout: whether
 * and when it is cut is reported beside the figure.
 */
const RUNS = WARMUP_RUNS + MEASURED_RUNS; // one device revoked per run
const LIVE_CHECK_MS = 2000;

interface Broker {
  broker: MosquittoBroker;
  caFile: string;
  devices: Array<{ name: string; cert: string; key: string; serial: string }>;
}

function sh(cwd: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, { cwd, env });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function tlsOptions(b: Broker, d: Broker['devices'][number], clientId: string): mqtt.IClientOptions {
  return { ca: fs.readFileSync(b.caFile), cert: fs.readFileSync(d.cert), key: fs.readFileSync(d.key), clientId, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 5 };
}

/** Polls new connections until the broker refuses one; returns when it did (ms since the epoch). */
async function untilRefused(b: Broker, d: Broker['devices'][number], timeoutMs = 30_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < until; i++) {
    try {
      const probe = await mqtt.connectAsync(`mqtts://localhost:${b.broker.port}`, tlsOptions(b, d, `probe-${d.name}-${i}`));
      probe.end(true);
    } catch {
      return Date.now();
    }
  }
  throw new Error(`the broker still accepts ${d.name} ${timeoutMs} ms after the revocation:\n${b.broker.log().slice(-2000)}`);
}

/** A live session with the device's certificate; `closedAt` is set when the broker ends it. */
async function liveSession(b: Broker, d: Broker['devices'][number]) {
  const client = await mqtt.connectAsync(`mqtts://localhost:${b.broker.port}`, tlsOptions(b, d, d.name));
  const state = { client, closedAt: 0 };
  client.once('close', () => (state.closedAt = Date.now()));
  return state;
}

// ---- by hand: an openssl CA, the operator edits the CRL and sends SIGHUP ----

async function startManual(dir: string): Promise<Broker> {
  fs.mkdirSync(path.join(dir, 'newcerts'));
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]', 'default_ca = bench', '[ bench ]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir/newcerts', 'serial = $dir/serial', 'crlnumber = $dir/crlnumber',
      'certificate = $dir/ca.pem', 'private_key = $dir/ca.key', 'default_md = sha256', 'default_days = 2', 'default_crl_days = 1', 'policy = any', 'unique_subject = no', 'copy_extensions = copy',
      '[ any ]', 'commonName = supplied', '[ device ]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = clientAuth', '[ server ]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:localhost,IP:127.0.0.1', '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  const ossl = (args: string[]) => sh(dir, 'openssl', args);
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Manual Bench CA', '-days', '2']);
  const issue = (name: string, ext: string) => {
    ossl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    ossl(['ca', '-batch', '-config', 'ca.cnf', '-extensions', ext, '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext']);
    return { name, cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`), serial: new X509Certificate(fs.readFileSync(path.join(dir, `${name}.pem`))).serialNumber };
  };
  const server = issue('broker', 'server');
  const devices = Array.from({ length: RUNS }, (_v, i) => issue(`SN-M${String(i).padStart(3, '0')}`, 'device'));
  ossl(['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem']);
  const [port, adminPort] = [await freePort(), await freePort()];
  const broker = await startMosquitto({
    dir, port, adminPort, caFile: path.join(dir, 'ca.pem'), certFile: server.cert, keyFile: server.key, crlFile: path.join(dir, 'crl.pem'), devices: devices.map((d) => d.name), adminPassword: `admin-${Math.random().toString(36).slice(2)}`,
  });
  return { broker, caFile: path.join(dir, 'ca.pem'), devices };
}

// ---- ours: the suite, its revoke call, the gateway agent driving Mosquitto ----

interface Ours extends Broker {
  suite: RunningSuite;
  agent: ChildProcess;
}

async function startOurs(dir: string): Promise<Ours> {
  const suite = await startSuite({}, path.join(dir, 'suite'));
  try {
    return await provisionOurs(dir, suite);
  } catch (e) {
    await suite.stop();
    throw e;
  }
}

async function provisionOurs(dir: string, suite: RunningSuite): Promise<Ours> {
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, await (await fetch(`${suite.caUrl}/ca/chain.pem`)).text());
  const idctl = path.join(repoRoot, 'bin', 'idctl.js');
  const devices: Broker['devices'] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `SN-A${String(i).padStart(3, '0')}`;
    const [iccid, imei] = [`894410003031228${40000 + i}`, `35209900${100000 + i}`];
    const ids = ['--iccid', `${iccid}${luhn(iccid)}`, '--imsi', `23415099${1000000 + i}`, '--imei', `${imei}${luhn(imei)}`];
    const added = JSON.parse(sh(dir, process.execPath, [idctl, 'device', 'add', '--serial', name, ...ids, '--json'], suite.idctlEnv));
    const device = new OpensslDevice(dir, name.toLowerCase());
    const res = device.enroll(suite.estUrl, caFile, name, added.secret.secret);
    if (res.status !== 200) throw new Error(`enrolment of ${name} answered ${res.status}: ${res.body}`);
    const cert = device.certificateFromResponse(res.bodyFile);
    devices.push({ name, cert, key: device.keyFile, serial: new X509Certificate(fs.readFileSync(cert)).serialNumber });
  }
  const [port, adminPort] = [await freePort(), await freePort()];
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, 'admin-password'), adminPassword, { mode: 0o600 });
  const agentDir = path.join(dir, 'agent');
  const agent = spawn(
    process.execPath,
    [idctl, 'agent', '--dir', agentDir, '--nats', suite.natsUrl, '--name', 'bench-mosquitto', '--mosquitto-pid-file', path.join(dir, 'mosquitto.pid'), '--mosquitto-admin-url', `mqtt://127.0.0.1:${adminPort}`, '--mosquitto-admin-user', 'admin', '--broker-cert', path.join(dir, 'broker.pem'), '--broker-key', path.join(dir, 'broker.key'), '--broker-names', 'localhost,127.0.0.1'],
    { env: { ...suite.idctlEnv, IDCTL_MOSQUITTO_ADMIN_PASSWORD_FILE: path.join(dir, 'admin-password') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  agent.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  agent.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  process.once('exit', () => agent.kill('SIGKILL'));
  await waitFor(() => out, /following revocations/, 30_000, 'the gateway agent starting');
  const broker = await startMosquitto({
    dir, port, adminPort, caFile, certFile: path.join(dir, 'broker.pem'), keyFile: path.join(dir, 'broker.key'), crlFile: path.join(agentDir, 'crl.pem'), devices: devices.map((d) => d.name), adminPassword,
  });
  return { broker, caFile, devices, suite, agent };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function mosquittoReachBenchmarks(): Promise<Benchmark[]> {
  // Made when a run needs it: building the list of benchmarks must not touch the disk.
  let made: string | undefined;
  const work = (sub: string) => {
    made ??= fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-mosquitto-reach-'));
    fs.mkdirSync(path.join(made, sub), { recursive: true });
    return path.join(made, sub);
  };
  let manual: Promise<Broker> | undefined;
  let ours: Promise<Ours> | undefined;
  const manualRuns: number[] = [];
  const stillOpen: boolean[] = [];
  const callMs: number[] = [];
  const cutMs: number[] = [];
  const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
  return [
    {
      name: 'reach-mosquitto-manual-sighup',
      unit: 'ms to refusal',
      goal: 'reference peer',
      run: async () => {
        const b = await (manual ??= startManual(work('manual')));
        const d = b.devices[manualRuns.length];
        const live = await liveSession(b, d);
        const t0 = Date.now();
        const m = work('manual');
        sh(m, 'openssl', ['ca', '-config', 'ca.cnf', '-revoke', d.cert, '-crl_reason', 'keyCompromise']);
        sh(m, 'openssl', ['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem']);
        process.kill(Number(fs.readFileSync(b.broker.pidFile, 'utf8').trim()), 'SIGHUP');
        const refused = await untilRefused(b, d);
        manualRuns.push(refused - t0);
        // RFC 5280 CRLs are read at handshake time only: nothing ends the session already up.
        await new Promise((r) => setTimeout(r, LIVE_CHECK_MS));
        stillOpen.push(live.closedAt === 0 && live.client.connected);
        live.client.end(true);
        return refused - t0;
      },
      get reference() {
        return `openssl ca -revoke, -gencrl, kill -HUP, scripted (a person takes minutes); live session still open ${LIVE_CHECK_MS / 1000} s after the refusal in ${stillOpen.filter(Boolean).length} of ${stillOpen.length} runs`;
      },
      teardown: async () => {
        const m = await manual?.catch(() => undefined);
        manual = undefined;
        await m?.broker.stop();
        if (made) fs.rmSync(path.join(made, 'manual'), { recursive: true, force: true });
      },
    },
    {
      name: 'reach-mosquitto-agent',
      unit: 'ms to refusal',
      goal: '< 1 s, and the live session cut',
      run: async () => {
        const b = await (ours ??= startOurs(work('ours')));
        const d = b.devices[callMs.length];
        const live = await liveSession(b, d);
        const t0 = Date.now();
        const res = await fetch(`${b.suite.apiUrl}/revocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${b.suite.token}` },
          body: JSON.stringify({ serial: d.serial, reason: 'keyCompromise', comment: 'bench' }),
        });
        if (!res.ok) throw new Error(`revoke answered ${res.status}: ${await res.text()}`);
        callMs.push(Date.now() - t0);
        const refused = await untilRefused(b, d);
        const until = Date.now() + 30_000;
        while (live.closedAt === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        if (live.closedAt === 0) throw new Error(`the live session of ${d.name} was not cut`);
        cutMs.push(live.closedAt - t0);
        live.client.end(true);
        return refused - t0;
      },
      get reference() {
        const m = manualRuns.slice(WARMUP_RUNS);
        return `revoke call returned in ${callMs.length ? fmt(median(callMs)) : '?'} median; live session cut ${cutMs.length ? fmt(median(cutMs)) : '?'} median after the call started; manual path ${m.length ? fmt(median(m)) : 'not measured'} median (same run); the agent waits a 100 ms burst window, then fetches the CA's signed CRL`;
      },
      teardown: async () => {
        if (!ours) return;
        const o = await ours.catch(() => undefined);
        ours = undefined;
        if (!o) return;
        await o.broker.stop();
        o.agent.kill('SIGINT');
        await o.suite.stop();
        if (made) fs.rmSync(made, { recursive: true, force: true });
        made = undefined;
      },
    },
  ];
}
