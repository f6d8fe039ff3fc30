import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { RevocationEvent, SnapshotPage, SnapshotPageRequest, Streams } from '@iis/contracts';
import { toPem, x509 } from '@iis/pki';
// The stream is made here as the revocation service makes it (the agent itself never does).
// A direct import: the @iis/messaging index also loads NestJS, which jest cannot.
import { ensureRevocationStream, publishRevocationEvent } from '@iis/messaging';
import { runAgent, RunningAgent } from './agent';
import type { RevocationSigner } from './revocation-signer';
import { RevocationState } from './revocation-state';
import { FakeCa, serveFakeCa } from './testing/fake-ca';
import { revocationEvent } from './testing/events';
import { waitFor } from './testing/wait';

/*
 * Real nats-server with JetStream (a child process on a free port), real stream, real
 * ordered consumer, real files. The CA service is stood in for by a tiny responder on
 * Subjects.ca.caCerts / Subjects.ca.crl (testing/fake-ca.ts) that signs real CRLs;
 * the e2e tests run the agent against the real CA service.
 */
jest.setTimeout(60_000);

let server: ChildProcess | undefined;
let natsUrl: string;
let nc: NatsConnection;
let js: JetStreamClient;
let ca: FakeCa;
const workDirs: string[] = [];
const agents: RunningAgent[] = [];
let dir: string;
let logs: string[];
let agent: RunningAgent;
let httpPort: number;
const heard: RevocationEvent[] = [];
let logSequence = 0;
let signer: RevocationSigner;
/** Every event published, as the revocation log holds them: the snapshot is made from it. */
const log: RevocationEvent[] = [];
let rawCount = 0;

/** The revocation service's snapshot, two entries a page so paging is exercised. */
async function snapshotPage(req: SnapshotPageRequest): Promise<SnapshotPage> {
  const upTo = req.upTo ?? logSequence;
  const after = req.after ?? 0;
  const rows = log.filter((e) => e.logSequence > after && e.logSequence <= upTo);
  const page = rows.slice(0, 2);
  return signer.signPage({
    upTo,
    after,
    entries: page.map((e) => [e.serial, e.issuerId, e.notAfter, e.reason, e.subjectCommonName ?? null]),
    nextCursor: rows.length > 2 ? page[page.length - 1].logSequence : null,
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  workDirs.push(d);
  return d;
}

async function start(): Promise<{ agent: RunningAgent; logs: string[] }> {
  const lines: string[] = [];
  const a = await runAgent({ natsUrl, dir, name: 'spec', httpPort, log: (l) => lines.push(l), snapshotSource: snapshotPage });
  agents.push(a);
  return { agent: a, logs: lines };
}

/** Publishes a signed revocation as the revocation service's outbox relay does; the fake CA learns it too. */
async function revoke(overrides: Partial<RevocationEvent> = {}): Promise<RevocationEvent & { seq: number }> {
  const event = revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: ++logSequence, ...overrides });
  log.push(event);
  ca.revoked.set(event.serial, { revokedAt: new Date(event.revokedAt), reason: event.reason });
  const ack = await publishRevocationEvent(js, nc, Streams.revocations.eventSubject(event.issuerId), JSON.stringify(signer.signEvent(event)), `revocation-${event.serial}-${logSequence}`);
  return { ...event, seq: ack.seq };
}

async function publishRaw(payload: string): Promise<number> {
  const ack = await publishRevocationEvent(js, nc, Streams.revocations.eventSubject(ca.issuerId), payload, `raw-${++rawCount}`);
  return ack.seq;
}

function randomSerial(): string {
  return randomBytes(16).toString('hex').replace(/^0/, '1');
}

const crlSerials = () => new x509.X509Crl(readFileSync(join(dir, 'crl.pem'), 'utf8')).entries.map((e) => e.serialNumber.toLowerCase());
const appliedLines = (lines: string[]) => lines.filter((l) => l.startsWith('agent: applied revocation '));

beforeAll(async () => {
  const port = await freePort();
  natsUrl = `nats://127.0.0.1:${port}`;
  server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', tempDir('iis-agent-nats-')], { stdio: 'ignore' });
  const exited = new Promise((_, reject) => server!.once('exit', (code) => reject(new Error(`nats-server exited with ${code}`))));
  exited.catch(() => undefined);
  await waitFor(async () => {
    try {
      nc = await Promise.race([connect({ servers: natsUrl }), exited as Promise<never>]);
      return true;
    } catch (e) {
      if ((e as Error).message.startsWith('nats-server exited')) throw e;
      return false;
    }
  }, 'nats-server to accept connections');
  js = jetstream(nc);
  ca = await FakeCa.create();
  serveFakeCa(nc, ca);
  signer = await ca.signer();
  dir = tempDir('iis-agent-dir-');
  httpPort = await freePort();
});

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => undefined);
  await nc?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await gone;
  }
  for (const d of workDirs) rmSync(d, { recursive: true, force: true });
});

describe('gateway agent against a real nats-server', () => {
  it('ok/waits for the stream, then is ready with the CA chain and an empty crl.pem', async () => {
    ({ agent, logs } = await start());
    agent.onRevoked((e) => heard.push(e));
    await waitFor(() => logs.some((l) => l.includes('does not exist yet')), 'the agent to notice that the stream is missing');
    await ensureRevocationStream(nc);
    await agent.ready;
    expect(readFileSync(join(dir, 'ca-chain.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(existsSync(join(dir, 'crl', `${ca.issuerId}.crl.pem`))).toBe(true);
    expect(crlSerials()).toEqual([]);
    expect(agent.stats).toMatchObject({ applied: 0, rejected: 0, connected: true, resyncs: 1 });
    expect(logs.some((l) => l.startsWith('agent: resynced from the snapshot (a new agent starts from the snapshot): 0 revoked'))).toBe(true);
  });

  it('ok/published events are applied, logged, heard and end up in crl.pem', async () => {
    const a = await revoke();
    const b = await revoke({ deviceId: null, iccid: null });
    await waitFor(() => agent.stats.applied === 2, 'two applied revocations');
    expect(appliedLines(logs)).toEqual([
      `agent: applied revocation serial=${a.serial} issuer=${ca.issuerId} seq=${a.seq}`,
      `agent: applied revocation serial=${b.serial} issuer=${ca.issuerId} seq=${b.seq}`,
    ]);
    expect(agent.isRevoked(a.serial.toUpperCase())).toBe(true);
    expect(agent.isRevoked(b.serial)).toBe(true);
    expect(agent.isRevoked(randomSerial())).toBe(false);
    expect(heard.map((e) => e.serial)).toEqual([a.serial, b.serial]);
    await waitFor(() => crlSerials().length === 2, 'a CRL with both serials');
    expect(crlSerials().sort()).toEqual([a.serial, b.serial].sort());
    expect(logs).toContain(`agent: wrote crl issuer=${ca.issuerId} entries=2 file=${join(dir, 'crl', `${ca.issuerId}.crl.pem`)}`);
    const res = await fetch(`http://127.0.0.1:${httpPort}/revoked/${a.serial}`);
    expect(await res.json()).toEqual({ serial: a.serial, revoked: true });
  });

  it('ok/malformed messages are counted as rejected and skipped; following goes on', async () => {
    await publishRaw('this is not JSON');
    await publishRaw(JSON.stringify({ ...revocationEvent(new Date(), { issuerId: ca.issuerId }), version: 2 }));
    const c = await revoke();
    await waitFor(() => agent.stats.applied === 3, 'the good event after the bad ones');
    expect(agent.stats).toMatchObject({ rejected: 2, lastStreamSequence: c.seq, revokedCount: 3 });
    expect(logs.filter((l) => l.startsWith('agent: rejected message'))).toHaveLength(2);
  });

  it('ok/the same serial published again is a no-op', async () => {
    const first = heard[0];
    const again = await revoke({ serial: first.serial, reason: 'superseded' });
    await waitFor(() => agent.stats.lastStreamSequence === again.seq, 'the duplicate to be read');
    expect(agent.stats).toMatchObject({ applied: 3, revokedCount: 3 });
    expect(heard).toHaveLength(3);
  });

  let restarted: { agent: RunningAgent; logs: string[] } | undefined;
  const second = () => restarted!;

  it('ok/after stop and restart with the same dir, old events are not applied again and new ones are', async () => {
    const before = agent.stats;
    await agent.stop();
    const saved = await RevocationState.load(join(dir, 'state.bin'), () => new Date());
    expect({ seq: saved.lastStreamSequence, size: saved.size }).toEqual({ seq: before.lastStreamSequence, size: 3 });

    const whileStopped = await revoke();
    const second = (restarted = await start());
    await second.agent.ready;
    await waitFor(() => second.agent.stats.applied === 1, 'the event published while the agent was stopped');
    const late = await revoke();
    await waitFor(() => second.agent.stats.applied === 2, 'an event published after the restart');
    expect(appliedLines(second.logs)).toEqual([
      `agent: applied revocation serial=${whileStopped.serial} issuer=${ca.issuerId} seq=${whileStopped.seq}`,
      `agent: applied revocation serial=${late.serial} issuer=${ca.issuerId} seq=${late.seq}`,
    ]);
    expect(second.agent.stats).toMatchObject({ rejected: 0, revokedCount: 5, lastStreamSequence: late.seq });
    expect(second.agent.isRevoked(heard[0].serial)).toBe(true);
    await waitFor(() => crlSerials().length === 5, 'a CRL with every revoked serial');
  });

  it('ok/unsigned, forged and replayed events are rejected and counted; following goes on', async () => {
    const a = second();
    const rejectedBefore = a.agent.stats.rejected;
    const unsigned = revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: logSequence + 1 });
    await publishRaw(JSON.stringify(unsigned));
    const forger = await (await FakeCa.create()).signer();
    await publishRaw(JSON.stringify(forger.signEvent(unsigned)));
    const replayed = log[log.length - 1];
    await publishRaw(JSON.stringify(signer.signEvent(replayed)));
    const good = await revoke();
    await waitFor(() => a.agent.isRevoked(good.serial), 'the good event after the bad ones');
    expect(a.agent.isRevoked(unsigned.serial)).toBe(false);
    expect(a.agent.stats.rejected - rejectedBefore).toBe(3);
    const codes = a.logs.filter((l) => l.startsWith('agent: rejected message')).map((l) => /code=(\S+)/.exec(l)![1]);
    expect(codes).toEqual(['UNSIGNED', 'UNTRUSTED_SIGNER', 'REPLAYED']);
  });

  it('ok/messages lost from the stream: the agent sees the gap and resyncs from the snapshot', async () => {
    const a = second();
    await a.agent.stop();
    const missed = [await revoke(), await revoke(), await revoke()];
    // The stream loses them (as max-age would) before the agent is back.
    await (await jetstreamManager(nc)).streams.purge(Streams.revocations.name);
    const third = await start();
    await third.agent.ready;
    expect(third.logs.some((l) => /^agent: resynced from the snapshot \(the stream starts at seq \d+: messages after the agent's \d+ were removed\)/.test(l))).toBe(true);
    for (const m of missed) expect(third.agent.isRevoked(m.serial)).toBe(true);
    expect(third.agent.stats.revokedCount).toBe(new Set(log.map((e) => e.serial)).size);

    // A gap seen while following: an event the stream never carried.
    const heardNow: RevocationEvent[] = [];
    third.agent.onRevoked((e) => heardNow.push(e));
    logSequence++;
    const never = revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence, subjectCommonName: 'SN-NEVER' });
    log.push(never);
    const after = await revoke();
    await waitFor(() => third.agent.isRevoked(after.serial) && third.agent.isRevoked(never.serial), 'the resync after the gap');
    expect(third.logs.some((l) => l.includes(`gap at stream seq=${after.seq}: log seq ${after.logSequence} follows ${after.logSequence - 2}`))).toBe(true);
    expect(third.agent.stats.resyncs).toBe(2);
    // Listeners (the Node TLS guard, Mosquitto) hear of the serial learned from the snapshot, with its CN.
    expect(heardNow.find((e) => e.serial === never.serial)).toMatchObject({ subjectCommonName: 'SN-NEVER', cause: 'snapshot' });
    await waitFor(() => crlSerials().includes(after.serial), 'the CRL after the resync');
  });

  it('ok/a pinned trust anchor: events of a CA that does not chain to it are never applied; the right root works', async () => {
    const other = await FakeCa.create();
    const pinDir = tempDir('iis-agent-pin-');
    const wrongRoot = join(pinDir, 'wrong-root.pem');
    writeFileSync(wrongRoot, toPem(Buffer.from(other.root.rawData), 'CERTIFICATE'));
    const lines: string[] = [];
    const pinned = await runAgent({ natsUrl, dir: join(pinDir, 'a'), name: 'pinned', log: (l) => lines.push(l), snapshotSource: snapshotPage, trustAnchorFile: wrongRoot });
    agents.push(pinned);
    await waitFor(() => lines.some((l) => l.includes('no trusted CA chain yet to check signed events')), 'the agent to refuse to follow without trust');
    expect(pinned.stats.resyncs).toBe(0);
    await pinned.stop();

    const rightRoot = join(pinDir, 'root.pem');
    writeFileSync(rightRoot, toPem(Buffer.from(ca.root.rawData), 'CERTIFICATE'));
    const trusting = await runAgent({ natsUrl, dir: join(pinDir, 'b'), name: 'pinned-right', log: () => undefined, snapshotSource: snapshotPage, trustAnchorFile: rightRoot });
    agents.push(trusting);
    await trusting.ready;
    const e = await revoke();
    await waitFor(() => trusting.isRevoked(e.serial), 'the event under the pinned root');
  });
});

describe('live copies: an agent that is up to date follows core NATS and reads the stream only to catch up', () => {
  let live: { agent: RunningAgent; logs: string[] };
  const catchUps = () => live.logs.filter((l) => l.startsWith('agent: catching up on stream')).length;
  /** Stored in the stream only, as if its live copy had been lost. */
  const storeOnly = async (): Promise<RevocationEvent & { seq: number }> => {
    const event = revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: ++logSequence });
    log.push(event);
    const ack = await js.publish(Streams.revocations.eventSubject(ca.issuerId), JSON.stringify(signer.signEvent(event)), { msgID: `store-only-${event.serial}` });
    return { ...event, seq: ack.seq };
  };
  const consumers = async () => {
    const list = await (await jetstreamManager(nc)).consumers.list(Streams.revocations.name).next();
    return list.length;
  };

  beforeAll(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    const lines: string[] = [];
    const a = await runAgent({ natsUrl, dir: tempDir('iis-agent-live-'), name: 'live', log: (l) => lines.push(l), snapshotSource: snapshotPage });
    agents.push(a);
    live = { agent: a, logs: lines };
    await a.ready;
  });

  it('ok/up to date after the snapshot, the agent holds no consumer; a revocation reaches it through its live copy', async () => {
    await waitFor(async () => (await consumers()) === 0, 'no consumer on the stream');
    expect(live.logs).toContain(`agent: up to date at seq=${live.agent.stats.lastStreamSequence}; following live copies`);
    const e = await revoke();
    await waitFor(() => live.agent.isRevoked(e.serial), 'the live copy applied');
    expect(live.agent.stats.lastStreamSequence).toBe(e.seq);
    expect(catchUps()).toBe(0);
    expect(await consumers()).toBe(0);
  });

  it('ok/a lost live copy: the next one shows the hole, the agent catches up from the stream in order and drops the consumer again', async () => {
    const lost = await storeOnly();
    const next = await revoke();
    await waitFor(() => live.agent.isRevoked(next.serial), 'the event after the lost copy');
    expect(live.agent.isRevoked(lost.serial)).toBe(true);
    expect(appliedLines(live.logs).slice(-2)).toEqual([
      `agent: applied revocation serial=${lost.serial} issuer=${ca.issuerId} seq=${lost.seq}`,
      `agent: applied revocation serial=${next.serial} issuer=${ca.issuerId} seq=${next.seq}`,
    ]);
    expect(catchUps()).toBe(1);
    await waitFor(() => live.logs.includes(`agent: up to date at seq=${next.seq}; following live copies`), 'the consumer dropped');
    await waitFor(async () => (await consumers()) === 0, 'no consumer on the stream again');
  });

  it('ok/the last live copy lost: the stream tick makes the agent catch up', async () => {
    const lost = await storeOnly();
    // Nothing else tells the agent: with no tick it waits for its periodic check (30 s).
    await new Promise((r) => setTimeout(r, 300));
    expect(live.agent.isRevoked(lost.serial)).toBe(false);
    nc.publish(Streams.revocations.tick, JSON.stringify({ lastSequence: lost.seq }));
    await waitFor(() => live.agent.isRevoked(lost.serial), 'the event the tick pointed at');
    expect(live.agent.stats.lastStreamSequence).toBe(lost.seq);
  });

  it('bad/a forged live copy is judged once, from the stream: counted once, the position moves as for any stream message', async () => {
    const rejectedBefore = live.agent.stats.rejected;
    const forged = JSON.stringify({ ...signer.signEvent(revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: logSequence + 1 })), reason: 'superseded' });
    const seq = await publishRaw(forged);
    await waitFor(() => live.agent.stats.lastStreamSequence === seq, 'the forged message read from the stream');
    const good = await revoke();
    await waitFor(() => live.agent.isRevoked(good.serial), 'the good event after it');
    expect(live.agent.stats.rejected - rejectedBefore).toBe(1);
    expect(live.logs.filter((l) => l.startsWith(`agent: rejected message seq=${seq} `))).toEqual([expect.stringContaining('code=BAD_SIGNATURE')]);
  });

  it('ok/a republished event (the same message id, stored once) gets no second live copy', async () => {
    let copies = 0;
    const sub = nc.subscribe(Streams.revocations.liveSubjects, { callback: () => copies++ });
    await nc.flush();
    const body = JSON.stringify(signer.signEvent(revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: ++logSequence })));
    const first = await publishRevocationEvent(js, nc, Streams.revocations.eventSubject(ca.issuerId), body, `republished-${logSequence}`);
    const again = await publishRevocationEvent(js, nc, Streams.revocations.eventSubject(ca.issuerId), body, `republished-${logSequence}`);
    expect(again).toMatchObject({ seq: first.seq, duplicate: true });
    await nc.flush();
    await new Promise((r) => setTimeout(r, 100));
    sub.unsubscribe();
    expect(copies).toBe(1);
    await waitFor(() => live.agent.stats.lastStreamSequence === first.seq, 'the event applied');
  });

  it('bad/live copies and ticks that point nowhere move nothing: a sequence far ahead, none, one that is not a number, a garbled tick', async () => {
    const before = live.agent.stats;
    const body = JSON.stringify(signer.signEvent(revocationEvent(new Date(), { serial: randomSerial(), issuerId: ca.issuerId, logSequence: logSequence + 1 })));
    nc.publish(Streams.revocations.liveSubject(ca.issuerId, before.lastStreamSequence + 1000), body);
    nc.publish(`iis.v1.revocation.live.${ca.issuerId}`, body);
    nc.publish(`iis.v1.revocation.live.${ca.issuerId}.x1`, body);
    nc.publish(Streams.revocations.tick, 'not json');
    nc.publish(Streams.revocations.tick, JSON.stringify({ lastSequence: -5 }));
    await nc.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(live.agent.stats).toMatchObject({ lastStreamSequence: before.lastStreamSequence, applied: before.applied, rejected: before.rejected, resyncs: before.resyncs });
    // Not held open by the claim: the read found the stream's end and the consumer is gone.
    await waitFor(async () => (await consumers()) === 0, 'no consumer left open');
    const e = await revoke();
    await waitFor(() => live.agent.isRevoked(e.serial), 'the next genuine revocation');
    expect(live.agent.stats.lastStreamSequence).toBe(e.seq);
  });
});
