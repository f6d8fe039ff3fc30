import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { DEFAULT_OPS_PORTS, opsPortVariable } from '@iis/config';
import { createCsr, generateKeyPair } from '@iis/pki';
import { freePort } from '../tools/launcher/src/ports';
import { luhn } from '../test/support/sim';
import { Benchmark } from './harness';

/**
 * EST simpleenroll end to end against the running suite (the launcher `npm start` runs, its
 * own nats-server, SQLite): TLS, HTTP Basic with a one-time secret, CSR checks, policy over
 * NATS, the CA over NATS, the database, the enrollment record. 64 concurrent clients, once
 * reusing their connections (keep-alive) and once with a new TLS handshake per enrollment
 * (no session resumption). The clients run in this process, on the same 2 cores.
 */
const CLIENTS = 64;
const PER_RUN = 1200;
const RUNS = 6; // the harness: 1 warm-up + 5 measured

interface Suite {
  child: ChildProcess;
  estUrl: string;
  ca: string;
  secrets: { serial: string; secret: string }[];
  dir: string;
}

let suite: Promise<Suite> | undefined;

async function startSuite(): Promise<Suite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-est-'));
  const [est, api, ca] = [await freePort(), await freePort(), await freePort()];
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, [path.join(root, 'dist/tools/launcher/src/main.js')], {
    env: {
      ...process.env, DATA_DIR: dir, NATS_PORT: '0', NATS_URL: '', EST_PORT: String(est), EST_HOST: '127.0.0.1', API_PORT: String(api), CA_HTTP_PORT: String(ca),
      // The benchmark is one address making thousands of enrollments a second.
      EST_RATE_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'warn',
      // Any free health/metrics port: another suite on this machine may hold the defaults.
      ...Object.fromEntries(Object.keys(DEFAULT_OPS_PORTS).map((id) => [opsPortVariable(id as keyof typeof DEFAULT_OPS_PORTS), '0'])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('suite ready')) {
        clearInterval(t);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(t);
      reject(new Error(`suite exited (${code}):\n${out}`));
    });
  });
  const token = fs.readFileSync(path.join(dir, 'operator-token'), 'utf8').trim();
  const apiUrl = `http://127.0.0.1:${api}/api/v1`;
  const caPem = await (await fetch(`http://127.0.0.1:${ca}/ca/chain.pem`)).text();
  const secrets: { serial: string; secret: string }[] = [];
  const total = PER_RUN * RUNS * 2;
  for (let start = 0; start < total; start += 400) {
    const rows = [];
    for (let i = start; i < Math.min(total, start + 400); i++) {
      const iccidBase = `8944200${String(i).padStart(11, '0')}`;
      const imeiBase = `35${String(i).padStart(12, '0')}`;
      rows.push({ line: i + 2, serial: `BENCH-${i}`, iccid: iccidBase + luhn(iccidBase), imsi: `23415${String(i).padStart(10, '0')}`, imei: imeiBase + luhn(imeiBase) });
    }
    const res = await fetch(`${apiUrl}/devices/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows, withSecrets: true }),
    });
    const reply = (await res.json()) as { secrets?: { serial: string; secret: string }[]; rejected?: unknown[] };
    if (!res.ok || !reply.secrets) throw new Error(`import failed: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
    secrets.push(...reply.secrets);
  }
  return { child, estUrl: `https://localhost:${est}/.well-known/est`, ca: caPem, secrets, dir };
}


function post(agent: https.Agent, url: URL, auth: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/pkcs10', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runLoad(s: Suite, keepAlive: boolean, csrs: string[]): Promise<{ perSecond: number; p99: number }> {
  const url = new URL(`${s.estUrl}/simpleenroll`);
  // One client TLS context (the CA to verify the server with) for every connection: building it
  // per connection cost the client more CPU than the server's side of the handshake. Each new
  // connection still makes a full handshake and verifies the server's chain.
  const secureContext = tls.createSecureContext({ ca: s.ca });
  const agent = keepAlive ? new https.Agent({ keepAlive: true, maxSockets: CLIENTS, secureContext }) : new https.Agent({ keepAlive: false, maxCachedSessions: 0, secureContext });
  const batch = s.secrets.splice(0, PER_RUN);
  if (batch.length < PER_RUN) throw new Error('out of enrollment secrets');
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_v, c) => {
      while (next < batch.length) {
        const d = batch[next++];
        const t0 = process.hrtime.bigint();
        const status = await post(agent, url, 'Basic ' + Buffer.from(`${d.serial}:${d.secret}`).toString('base64'), csrs[c % csrs.length]);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  if (failures) throw new Error(`${failures} enrollments failed`);
  latencies.sort((a, b) => a - b);
  return { perSecond: batch.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] };
}

export async function stopEstSuite(): Promise<void> {
  if (!suite) return;
  const s = await suite.catch(() => undefined);
  if (s && s.child.exitCode === null) {
    s.child.kill('SIGINT');
    await new Promise((r) => s.child.once('exit', r));
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
}

export async function estBenchmarks(): Promise<Benchmark[]> {
  let csrs: string[] | undefined;
  const p99s: Record<'reuse' | 'handshake', number[]> = { reuse: [], handshake: [] };
  const load = async (mode: 'reuse' | 'handshake') => {
    suite ??= startSuite();
    const s = await suite;
    csrs ??= await Promise.all(Array.from({ length: 8 }, async (_v, i) => (await createCsr(await generateKeyPair('P-256'), `bench-${i}`)).toString('base64')));
    const r = await runLoad(s, mode === 'reuse', csrs);
    p99s[mode].push(r.p99);
    return r.perSecond;
  };
  const p99 = (mode: 'reuse' | 'handshake') => async () => {
    const v = p99s[mode].shift();
    if (v === undefined) throw new Error('run the throughput benchmark first');
    return v;
  };
  return [
    { name: 'est-simpleenroll-keepalive', unit: 'enrollments/s', goal: '>= 500/s at 64 clients', run: () => load('reuse'), reference: '64 clients, connections reused' },
    { name: 'est-simpleenroll-keepalive-p99', unit: 'ms', goal: '< 100 ms', run: p99('reuse'), reference: 'p99 latency of the runs above' },
    { name: 'est-simpleenroll-new-handshake', unit: 'enrollments/s', goal: 'reported beside', run: () => load('handshake'), reference: '64 clients, full TLS handshake each' },
    { name: 'est-simpleenroll-new-handshake-p99', unit: 'ms', goal: 'reported beside', run: p99('handshake'), reference: 'p99 latency of the runs above' },
  ];
}
