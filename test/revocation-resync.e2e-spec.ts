import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, Msg, NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, REVOCATION_SIGNER_EKU_OID, Streams, Subjects } from '@iis/contracts';
import { createCsr, generateKeyPair } from '@iis/pki';
import { runAgent, RunningAgent } from '@iis/revocation-client';
import { freePort } from '../tools/launcher/src/ports';
import { run, runAsync } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * Signed events, the snapshot and NATS faults, end to end. Real: a nats-server of this test
 * (JetStream, its own store dir, so the test can stop and restart it), the suite under its
 * launcher on that NATS (CA, revocation service with its outbox, operator API, SQLite),
 * `idctl revoke` as the operator, the gateway agent (runAgent, in this process), openssl to
 * read the signer certificate. Certificates to revoke are issued by the real CA over NATS.
 */
jest.setTimeout(240_000);

const idctl = path.join(repoRoot, 'bin', 'idctl.js');
let work: string;
let natsPort: number;
let natsUrl: string;
let nats: ChildProcess | undefined;
let suite: RunningSuite;
let nc: NatsConnection;
const agents: RunningAgent[] = [];

function startNats(): Promise<void> {
  nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', path.join(work, 'nats-store')], { stdio: 'ignore' });
  return until(async () => {
    const probe = await connect({ servers: natsUrl, reconnect: false }).catch(() => undefined);
    await probe?.close();
    return probe !== undefined;
  }, 'nats-server to accept connections');
}

async function stopNats(): Promise<void> {
  const gone = new Promise((r) => nats!.once('exit', r));
  nats!.kill('SIGTERM');
  await gone;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A device certificate from the real CA, asked in the NestJS NATS envelope the services use. */
async function issueCertificate(name: string): Promise<string> {
  const keys = await generateKeyPair('P-256');
  const data: IssueCertificateRequest = { csr: (await createCsr(keys, name)).toString('base64'), profile: 'device', subject: { commonName: name }, ttlSeconds: 3600 };
  const msg = await nc.request(Subjects.ca.issue, JSON.stringify({ pattern: Subjects.ca.issue, data, id: name }), { timeout: 10_000 });
  const reply = msg.json<{ response?: IssuedCertificate; err?: unknown }>();
  if (!reply.response) throw new Error(`the CA refused: ${JSON.stringify(reply.err)}`);
  return reply.response.serial.toLowerCase();
}

function revoke(serial: string) {
  return runAsync(process.execPath, [idctl, 'revoke', '--serial', serial, '--reason', 'keyCompromise', '--json'], { env: { ...suite.idctlEnv, IDCTL_TIMEOUT_SECONDS: '5' } });
}

async function startAgent(): Promise<{ agent: RunningAgent; logs: string[] }> {
  const logs: string[] = [];
  const agent = await runAgent({ natsUrl, dir: path.join(work, 'agent'), name: 'resync-e2e', log: (l) => logs.push(l) });
  agents.push(agent);
  await agent.ready;
  return { agent, logs };
}

const applied = (logs: string[], serial: string) => logs.filter((l) => l.startsWith(`agent: applied revocation serial=${serial} `)).length;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-resync-'));
  natsPort = await freePort();
  natsUrl = `nats://127.0.0.1:${natsPort}`;
  await startNats();
  suite = await startSuite({ NATS_URL: natsUrl });
  nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
});

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => undefined);
  await nc?.close().catch(() => undefined);
  if (suite) await suite.stop();
  if (nats && nats.exitCode === null) await stopNats();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('signed revocation events, snapshot and NATS faults', () => {
  it('ok/events on the stream are signed PS256 by an RSA-2048 revocation signer certificate of the CA (the default); the agent applies them', async () => {
    const { agent, logs } = await startAgent();
    const serial = await issueCertificate('resync-a');
    expect((await revoke(serial)).code).toBe(0);
    await until(() => agent.isRevoked(serial), 'the agent to apply it');
    expect(applied(logs, serial)).toBe(1);

    const js = jetstream(nc);
    const info = await (await js.streams.get(Streams.revocations.name)).info();
    const raw = (await (await jetstreamManager(nc)).streams.getMessage(Streams.revocations.name, { seq: info.state.last_seq }))!.json<{ serial: string; signature: { alg: string; signer: string; value: string } }>();
    // RSASSA-PSS (RFC 7518 3.5): the value is as long as the signer's RSA-2048 modulus.
    expect(raw).toMatchObject({ serial, signature: { alg: 'PS256' } });
    expect(Buffer.from(raw.signature.value, 'base64')).toHaveLength(256);
    const signerFile = path.join(work, 'signer.der');
    fs.writeFileSync(signerFile, Buffer.from(raw.signature.signer, 'base64'));
    const text = run('openssl', ['x509', '-inform', 'DER', '-in', signerFile, '-noout', '-text']).stdout;
    expect(text).toContain(REVOCATION_SIGNER_EKU_OID);
    expect(text).toMatch(/Subject: .*CN ?= ?revocation-signer /);
    expect(text).toMatch(/Public Key Algorithm: rsaEncryption[\s\S]*Public-Key: \(2048 bit\)/);
    // The signer certificate chains to the CA chain the agent trusts (openssl as an outside check).
    const signerPem = path.join(work, 'signer.pem');
    fs.writeFileSync(signerPem, run('openssl', ['x509', '-inform', 'DER', '-in', signerFile]).stdout);
    expect(run('openssl', ['verify', '-purpose', 'any', '-CAfile', path.join(work, 'agent', 'ca-chain.pem'), signerPem]).stdout).toContain(': OK');
    await agent.stop();
  });

  it('ok/an agent back after the stream lost its messages resyncs from the snapshot and holds the full set', async () => {
    const missed = [await issueCertificate('resync-b'), await issueCertificate('resync-c')];
    for (const s of missed) expect((await revoke(s)).code).toBe(0);
    // The stream loses what the offline agent has not read, as max-age would.
    await (await jetstreamManager(nc)).streams.purge(Streams.revocations.name);

    const { agent, logs } = await startAgent();
    expect(logs.some((l) => /^agent: resynced from the snapshot \(the stream starts at seq \d+: messages after the agent's \d+ were removed\): 3 revoked/.test(l))).toBe(true);
    for (const s of missed) expect(agent.isRevoked(s)).toBe(true);
    expect(agent.stats).toMatchObject({ revokedCount: 3, lastLogSequence: 3, rejected: 0, resyncs: 1 });

    // Following goes on after the snapshot.
    const next = await issueCertificate('resync-d');
    expect((await revoke(next)).code).toBe(0);
    await until(() => agent.isRevoked(next), 'the next revocation after the resync');
    expect(agent.stats).toMatchObject({ lastLogSequence: 4, resyncs: 1 });
    await agent.stop();
  });

  it('ok/nats-server stopped and restarted while revocations are issued: every committed one reaches the agent exactly once', async () => {
    const { agent, logs } = await startAgent();
    const serials: string[] = [];
    for (let i = 0; i < 8; i++) serials.push(await issueCertificate(`restart-${i}`));

    const first = await Promise.all(serials.slice(0, 3).map(revoke));
    // NATS goes away while the next revocations are on their way.
    const during = serials.slice(3).map(revoke);
    await stopNats();
    await new Promise((r) => setTimeout(r, 1500));
    await startNats();
    const outcomes = [...first, ...(await Promise.all(during))];
    // Three at once before the outage: concurrent commands commit one after another.
    expect(first.map((r) => `${r.code} ${r.stderr}`)).toEqual(first.map(() => '0 '));
    // Calls that got no answer (exit 3: unavailable) are repeated by the operator; the command is idempotent.
    for (const [i, r] of outcomes.entries()) {
      if (r.code === 0) continue;
      expect(r.code).toBe(3);
      let again = await revoke(serials[i]);
      for (let tries = 0; again.code === 3 && tries < 20; tries++) {
        await new Promise((res) => setTimeout(res, 500));
        again = await revoke(serials[i]);
      }
      expect(again.code).toBe(0);
    }

    await until(() => serials.every((s) => agent.isRevoked(s)), 'every revocation to reach the agent');
    expect(logs.some((l) => l.startsWith('agent: NATS disconnected'))).toBe(true);
    expect(logs.some((l) => l.startsWith('agent: NATS reconnected'))).toBe(true);
    for (const s of serials) expect(applied(logs, s)).toBe(1);
    expect(agent.stats).toMatchObject({ rejected: 0, revokedCount: 12, lastLogSequence: 12 });
    await agent.stop();
  });

  it('ok/after the store, the revocation service publishes the live copy with its stream sequence, and ticks where the stream ends', async () => {
    const copies: Msg[] = [];
    const ticks: number[] = [];
    const liveSub = nc.subscribe(Streams.revocations.liveSubjects, { callback: (_e, m) => copies.push(m) });
    const tickSub = nc.subscribe(Streams.revocations.tick, { callback: (_e, m) => ticks.push(m.json<{ lastSequence: number }>().lastSequence) });
    await nc.flush();
    const serial = await issueCertificate('resync-live');
    expect((await revoke(serial)).code).toBe(0);
    await until(() => copies.length > 0, 'the live copy', 10_000);
    const copy = copies[0];
    const named = Streams.revocations.fromLiveSubject(copy.subject)!;
    const stored = (await (await jetstreamManager(nc)).streams.getMessage(Streams.revocations.name, { seq: named.streamSequence }))!;
    expect(stored.json<{ serial: string }>().serial).toBe(serial);
    expect(Buffer.from(copy.data).equals(Buffer.from(stored.data))).toBe(true);
    expect(named.eventSubject).toBe(stored.subject);
    // Ticks come about every second from the relay that leads; one names this event's place.
    await until(() => ticks.includes(named.streamSequence), 'a tick naming the event', 10_000);
    expect(Math.max(...ticks)).toBe(named.streamSequence);
    liveSub.unsubscribe();
    tickSub.unsubscribe();
  });
});
