import { ChildProcess, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../tools/launcher/src/ports';
import { run } from '../test/support/run';
import { Benchmark, closedLoop, WARMUP_RUNS } from './harness';

/**
 * OCSP side by side, in the same run: OpenSSL's responder (`openssl ocsp -index … -port …`)
 * and ours (the CA's responder core and /ocsp handler, bench/ocsp-responder-process.ts), each
 * in its own process, for the same P-256 CA, the same delegated P-256 responder certificate
 * and key, the same index.txt (10,000 certificates, every other one revoked). The requests
 * are made once by `openssl ocsp -reqout` (64 serials, half of them revoked) and replayed
 * as HTTP POST by one load client (keep-alive, 32 in flight) against both.
 */
const ENTRIES = 10_000;
const REQUESTS = 64;
const IN_FLIGHT = 32;
const SECONDS = 2;

interface Responder {
  url: string;
  process: ChildProcess;
}

interface Setup {
  dir: string;
  nonce: Buffer[];
  noNonce: Buffer[];
  openssl: Responder;
  opensslMulti: Responder;
  ours: Responder;
}

let setupOnce: Promise<Setup> | undefined;
let current: Setup | undefined;

function sh(dir: string, args: string[]): string {
  const r = run('openssl', args, { cwd: dir });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

async function startOpenssl(dir: string, multi: number): Promise<Responder> {
  const port = await freePort();
  const args = ['ocsp', '-index', 'index.txt', '-port', String(port), '-rsigner', 'responder.pem', '-rkey', 'responder.key', '-CA', 'ca.pem', '-nmin', '60', '-ignore_err'];
  if (multi > 1) args.push('-multi', String(multi));
  // Not detached: `openssl ocsp -multi` makes its own process group (and exits 1 if started as a session leader).
  const child = spawn('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  // Not probed with an empty connection: openssl ocsp 3.0 spins on one that closes before a request.
  // A bench run that stops early (one name picked, an error) must not leave a responder behind.
  process.once('exit', () => stop({ url: '', process: child }));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start:\n${out}`)), 10_000);
    const seen = (b: Buffer) => {
      out += b.toString();
      if (out.includes('ACCEPT')) {
        clearTimeout(timer);
        child.stdout!.off('data', seen).resume();
        child.stderr!.off('data', seen).resume();
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
  });
  return { url: `http://127.0.0.1:${port}/`, process: child };
}

function stop(r: Responder): void {
  if (r.process.spawnargs[0] !== 'openssl') return void r.process.kill('SIGTERM');
  // `openssl ocsp -multi` ignores SIGTERM and leaves its children behind: its whole process group goes.
  try {
    process.kill(-r.process.pid!, 'SIGKILL');
  } catch {
    r.process.kill('SIGKILL');
  }
}

async function startOurs(dir: string): Promise<Responder> {
  const child = fork(path.join(__dirname, 'ocsp-responder-process.js'), ['ca.pem', 'responder.pem', 'responder.key', 'index.txt'].map((f) => path.join(dir, f)), { stdio: 'ignore' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`our OCSP responder exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/`, process: child };
}

/** Both responders must give the same verdicts, signed so that openssl verifies them. */
async function checkVerdicts(dir: string, r: Responder, revokedSerial: string, goodSerial: string): Promise<void> {
  for (const [serial, want] of [[revokedSerial, ': revoked'], [goodSerial, ': good']]) {
    const args = ['ocsp', '-issuer', 'ca.pem', '-CAfile', 'ca.pem', '-serial', `0x${serial}`, '-url', r.url];
    // The first request doubles as the readiness check (openssl ocsp -multi listens a moment after it says ACCEPT).
    let res = run('openssl', args, { cwd: dir });
    for (let i = 0; i < 50 && /Connection refused/.test(res.stderr); i++) {
      await new Promise((t) => setTimeout(t, 100));
      res = run('openssl', args, { cwd: dir });
    }
    const out = res.stdout + res.stderr;
    if (!out.includes('Response verify OK') || !out.includes(want)) throw new Error(`${r.url} answered for ${serial}:\n${out}`);
  }
}

async function setup(): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-ocsp-peer-'));
  sh(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=OCSP Bench CA', '-days', '2']);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), '[ocsp]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n');
  sh(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'responder.key', '-out', 'responder.csr', '-subj', '/CN=OCSP Bench Responder']);
  sh(dir, ['x509', '-req', '-in', 'responder.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0F0000', '-days', '2', '-extfile', 'ext.cnf', '-extensions', 'ocsp', '-out', 'responder.pem']);
  const serial = (i: number) => (0x100000 + i).toString(16).toUpperCase();
  const lines: string[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    // status, expiry, revocation date[,reason], serial, file, subject: as `openssl ca` keeps it.
    const revoked = i % 2 === 0 ? `R\t301231235959Z\t261124000000Z,keyCompromise` : `V\t301231235959Z\t`;
    lines.push(`${revoked}\t${serial(i)}\tunknown\t/CN=d${i}`);
  }
  fs.writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
  const nonce: Buffer[] = [];
  const noNonce: Buffer[] = [];
  for (let k = 0; k < REQUESTS; k++) {
    const s = serial(k * Math.floor(ENTRIES / REQUESTS) + (k % 2));
    sh(dir, ['ocsp', '-issuer', 'ca.pem', '-serial', `0x${s}`, '-reqout', `n${k}.der`]);
    sh(dir, ['ocsp', '-issuer', 'ca.pem', '-serial', `0x${s}`, '-no_nonce', '-reqout', `p${k}.der`]);
    nonce.push(fs.readFileSync(path.join(dir, `n${k}.der`)));
    noNonce.push(fs.readFileSync(path.join(dir, `p${k}.der`)));
  }
  const openssl = await startOpenssl(dir, 1);
  const opensslMulti = await startOpenssl(dir, os.cpus().length);
  const ours = await startOurs(dir);
  for (const r of [openssl, opensslMulti, ours]) await checkVerdicts(dir, r, serial(0), serial(1));
  current = { dir, nonce, noNonce, openssl, opensslMulti, ours };
  return current;
}

/** Per responder URL: the share of requests that went out on a reused (keep-alive) connection. */
const reused = new Map<string, number>();

/** Closed loop: IN_FLIGHT requests at a time for SECONDS, round robin over the prepared requests. */
async function replay(url: string, requests: Buffer[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const sockets = new Set<unknown>();
  const one = (body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/ocsp-request', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered HTTP ${res.statusCode}`))));
      });
      req.on('socket', (sock) => sockets.add(sock));
      req.on('error', reject);
      req.end(body);
    });
  let n = 0;
  const rate = await closedLoop(IN_FLIGHT, SECONDS * 1000, async (i) => {
    await one(requests[i % requests.length]);
    n++;
  });
  agent.destroy();
  reused.set(url, 1 - sockets.size / Math.max(1, n));
  return rate;
}

export async function ocspPeerBenchmarks(): Promise<Benchmark[]> {
  const runs = new Map<string, number[]>();
  const get = () => (setupOnce ??= setup());
  const bench = (name: string, pick: (s: Setup) => [Responder, Buffer[]], goal: string, reference: () => string, teardown?: () => Promise<void>): Benchmark => ({
    name,
    unit: 'responses/s',
    goal,
    run: async () => {
      const [r, reqs] = pick(await get());
      const rate = await replay(r.url, reqs);
      runs.set(name, [...(runs.get(name) ?? []), rate]);
      return rate;
    },
    get reference() {
      return reference();
    },
    teardown,
  });
  // The peer's median over its runs in this bench run (it runs just before ours).
  const fig = (name: string) => {
    const v = (runs.get(name) ?? []).slice(WARMUP_RUNS).sort((a, b) => a - b);
    return v.length === 0 ? 'not measured' : `${Math.round(v[Math.floor(v.length / 2)]).toLocaleString('en-US')}/s median`;
  };
  const reuse = (r: (s: Setup) => Responder) => (current ? `${Math.round((reused.get(r(current).url) ?? 0) * 100)}%` : '?');
  return [
    bench('ocsp-peer-openssl-nonce', (s) => [s.openssl, s.nonce], 'reference peer', () => `openssl ocsp, one process, one request at a time, signs every answer; ${reuse((s) => s.openssl)} of requests on a reused connection`),
    bench('ocsp-peer-openssl-multi-nonce', (s) => [s.opensslMulti, s.nonce], 'reference peer', () => `openssl ocsp -multi ${os.cpus().length} (one forked child per core)`),
    bench('ocsp-peer-ours-nonce', (s) => [s.ours, s.nonce], '>= openssl ocsp', () => `same nonced requests, both sign every answer; openssl ocsp ${fig('ocsp-peer-openssl-nonce')}, -multi ${fig('ocsp-peer-openssl-multi-nonce')} (same run); ours one process, ${reuse((s) => s.ours)} of requests on a reused connection`),
    bench('ocsp-peer-openssl-no-nonce', (s) => [s.openssl, s.noNonce], 'reference peer', () => 'openssl ocsp, RFC 5019 requests (no nonce): it still signs every answer, it keeps no cache'),
    bench(
      'ocsp-peer-ours-no-nonce',
      (s) => [s.ours, s.noNonce],
      '>= 10,000 responses/s',
      () => `same RFC 5019 requests; openssl ocsp ${fig('ocsp-peer-openssl-no-nonce')} (same run); ours answers from its cache of signed responses, openssl signs each`,
      async () => {
        if (!setupOnce) return;
        const s = await setupOnce;
        for (const r of [s.openssl, s.opensslMulti, s.ours]) stop(r);
        fs.rmSync(s.dir, { recursive: true, force: true });
        setupOnce = undefined;
        current = undefined;
      },
    ),
  ];
}
