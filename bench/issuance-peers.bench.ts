import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { requireCommand } from '../tools/launcher/src/system-packages';
import { freePort, waitForPort } from '../tools/launcher/src/ports';
import { RunningSuite, startSuite } from '../test/support/suite';
import { run } from '../test/support/run';
import { Benchmark, closedLoop, WARMUP_RUNS } from './harness';

/**
 * Issuance side by side, the same P-256 CSRs, in the same run: the suite's CA over NATS
 * request/reply (the running service with its database, started as `npm start` does) at
 * 1, 10, 100 and 1,000 concurrent requests, and CFSSL's signing server (`cfssl serve`,
 * Debian golang-cfssl) over HTTP at the same concurrencies.
 */
const CSRS = 64;
const SECONDS = 3;

interface Peers {
  suite: RunningSuite;
  nc: NatsConnection;
  cfssl: ChildProcess;
  cfsslUrl: string;
  csrDer: Buffer[];
  csrPem: string[];
  dir: string;
}

let peers: Promise<Peers> | undefined;

async function setup(): Promise<Peers> {
  requireCommand('cfssl', 'golang-cfssl', (s) => process.stderr.write(`${s}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-issuance-'));
  const csrDer: Buffer[] = [];
  const csrPem: string[] = [];
  for (let i = 0; i < CSRS; i++) {
    const key = path.join(dir, `d${i}.key`);
    const pem = path.join(dir, `d${i}.csr`);
    run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', `/CN=bench-${i}`, '-out', pem]);
    csrPem.push(fs.readFileSync(pem, 'utf8'));
    const der = path.join(dir, `d${i}.der`);
    run('openssl', ['req', '-in', pem, '-outform', 'DER', '-out', der]);
    csrDer.push(fs.readFileSync(der));
  }
  // CFSSL with its own P-256 CA and a 24 h client profile, like the suite's device profile.
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'ca-key.pem'), '-out', path.join(dir, 'ca.pem'), '-subj', '/CN=CFSSL Bench CA', '-days', '2']);
  fs.writeFileSync(path.join(dir, 'cfssl.json'), JSON.stringify({ signing: { default: { expiry: '24h', usages: ['digital signature', 'client auth'] } } }));
  const port = await freePort();
  const cfssl = spawn('cfssl', ['serve', '-address', '127.0.0.1', '-port', String(port), '-ca', path.join(dir, 'ca.pem'), '-ca-key', path.join(dir, 'ca-key.pem'), '-config', path.join(dir, 'cfssl.json')], { stdio: 'ignore' });
  await waitForPort(port, '127.0.0.1', 15_000);
  const suite = await startSuite({}, path.join(dir, 'suite'));
  const nc = await connectNats(suite.natsUrl, 'bench-issuance');
  return { suite, nc, cfssl, cfsslUrl: `http://127.0.0.1:${port}/api/v1/cfssl/sign`, csrDer, csrPem, dir };
}

/** Stops CFSSL and the suite if a run started them (also when a filter picked only some levels). */
export async function stopIssuancePeers(): Promise<void> {
  if (!peers) return;
  const p = await peers;
  peers = undefined;
  await p.nc.close().catch(() => undefined);
  p.cfssl.kill('SIGTERM');
  await p.suite.stop();
}

export async function issuancePeerBenchmarks(): Promise<Benchmark[]> {
  const levels = [1, 10, 100, 1000];
  const out: Benchmark[] = [];
  const cfsslRuns = new Map<number, number[]>();
  for (const c of levels) {
    out.push({
      name: `issuance-cfssl-http-c${c}`,
      unit: 'certs/s',
      goal: 'reference peer',
      run: async () => {
        const p = await (peers ??= setup());
        const rate = await closedLoop(c, SECONDS * 1000, async (i) => {
          const res = await fetch(p.cfsslUrl, { method: 'POST', body: JSON.stringify({ certificate_request: p.csrPem[i % CSRS] }) });
          if (!res.ok) throw new Error(`cfssl answered ${res.status}`);
          await res.arrayBuffer();
        });
        cfsslRuns.set(c, [...(cfsslRuns.get(c) ?? []), rate]);
        return rate;
      },
    });
    out.push({
      name: `issuance-ca-nats-c${c}`,
      unit: 'certs/s',
      goal: c === 1 ? 'compare with cfssl' : 'scaling curve',
      run: async () => {
        const p = await (peers ??= setup());
        const rpc = new RpcClient(p.nc, 30_000);
        return closedLoop(c, SECONDS * 1000, async (i) => {
          await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, {
            csr: p.csrDer[i % CSRS].toString('base64'),
            profile: 'device',
            subject: { commonName: `bench-${i % CSRS}`, deviceId: '00000000-0000-4000-8000-000000000000' },
            ttlSeconds: 86400,
          });
        });
      },
      get reference() {
        const r = (cfsslRuns.get(c) ?? []).slice(WARMUP_RUNS).sort((a, b) => a - b);
        return r.length ? `cfssl serve over HTTP, same CSRs, ${c} concurrent: ${Math.round(r[Math.floor(r.length / 2)]).toLocaleString('en-US')}/s median (same run)` : '';
      },
      teardown: c === levels[levels.length - 1] ? stopIssuancePeers : undefined,
    });
  }
  return out;
}
