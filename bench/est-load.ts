import * as https from 'node:https';
import * as tls from 'node:tls';
import { createCsr, generateKeyPair } from '@iis/pki';
import { simFor } from '../test/support/sim';
import { percentile } from './harness';

/** A registered device and its one-time enrollment secret. */
export interface EnrollmentSecret {
  serial: string;
  secret: string;
}

/** Registers `count` devices (serials `<prefix>0`, `<prefix>1`, …) through the operator API, 400 a request; returns their one-time secrets. */
export async function importDevices(apiUrl: string, token: string, count: number, prefix: string): Promise<EnrollmentSecret[]> {
  const secrets: EnrollmentSecret[] = [];
  for (let start = 0; start < count; start += 400) {
    const rows = Array.from({ length: Math.min(400, count - start) }, (_v, k) => ({ line: start + k + 2, serial: `${prefix}${start + k}`, ...simFor(start + k) }));
    const res = await fetch(`${apiUrl}/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ rows, withSecrets: true }) });
    const reply = (await res.json()) as { secrets?: EnrollmentSecret[] };
    if (!res.ok || !reply.secrets) throw new Error(`device import failed: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
    secrets.push(...reply.secrets);
  }
  return secrets;
}

/** The CSRs the clients send, one key each (P-256, base64 DER): client c sends number c % 8. */
export function enrollmentCsrs(): Promise<string[]> {
  return Promise.all(Array.from({ length: 8 }, async (_v, i) => (await createCsr(await generateKeyPair('P-256'), `bench-${i}`)).toString('base64')));
}

/** simpleenroll with HTTP Basic (the one-time secret); returns the status. */
function post(agent: https.Agent, url: URL, device: EnrollmentSecret, csr: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const auth = 'Basic ' + Buffer.from(`${device.serial}:${device.secret}`).toString('base64');
    const req = https.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/pkcs10', 'content-length': Buffer.byteLength(csr) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(csr);
  });
}

/** A GET that must answer 200 (the body is read and dropped). */
function get(agent: https.Agent, url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    https
      .get({ hostname: url.hostname, port: url.port, path: url.pathname, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${url.pathname}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

export interface EnrollmentLoad {
  /** EST base URLs (…/.well-known/est); client c enrolls at number c % estUrls.length. */
  estUrls: string[];
  /** The CA chain (PEM) the clients verify the servers with. */
  ca: string;
  /** Taken from the front: `count` of them are used up. */
  secrets: EnrollmentSecret[];
  count: number;
  csrs: string[];
  clients: number;
  /** Connections reused, or a new TLS handshake (no session resumption) for every enrollment. */
  keepAlive: boolean;
}

/** `clients` concurrent clients enroll `count` devices; throughput and p99 latency (ms). */
export async function runLoad(l: EnrollmentLoad): Promise<{ perSecond: number; p99: number }> {
  // One client TLS context (the CA to verify the server with) for every connection: building it
  // per connection cost the client more CPU than the server's side of the handshake. Each new
  // connection still makes a full handshake and verifies the server's chain.
  const secureContext = tls.createSecureContext({ ca: l.ca });
  const targets = l.estUrls.map((u) => ({
    url: new URL(`${u}/simpleenroll`),
    agent: l.keepAlive ? new https.Agent({ keepAlive: true, maxSockets: l.clients, secureContext }) : new https.Agent({ keepAlive: false, maxCachedSessions: 0, secureContext }),
  }));
  const batch = l.secrets.splice(0, l.count);
  if (batch.length < l.count) throw new Error('out of enrollment secrets');
  // Clients that reuse their connections have them before the clock starts: each opens its
  // connection (TLS handshake) with a cacerts request, so the figure is enrollments on reused
  // connections. The cost of a handshake per enrollment is the other figure (keepAlive false).
  if (l.keepAlive) await Promise.all(Array.from({ length: l.clients }, (_v, c) => get(targets[c % targets.length].agent, new URL(`${l.estUrls[c % l.estUrls.length]}/cacerts`))));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: l.clients }, async (_v, c) => {
      const target = targets[c % targets.length];
      while (next < batch.length) {
        const device = batch[next++];
        const t0 = process.hrtime.bigint();
        const status = await post(target.agent, target.url, device, l.csrs[c % l.csrs.length]);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  targets.forEach((t) => t.agent.destroy());
  if (failures) throw new Error(`${failures} of ${batch.length} enrollments failed`);
  return { perSecond: batch.length / seconds, p99: percentile(latencies, 0.99) };
}
