import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Streams, Subjects } from '../libs/contracts/src';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { opensslCsrBase64 } from './support/node-process';
import { startServiceInstance, ServiceInstance } from './support/service-instance';
import { RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * Two revocation instances in one queue group: one leads the outbox relay (a lease in NATS KV),
 * every revocation goes out exactly once whichever instance took the command, and killing the
 * leader (SIGKILL, no clean hand-back) lets the other take over. Real: the launched suite, a second
 * revocation process, nats-server with JetStream, SQLite shared by both, openssl for the CSR.
 */
describe.each(databasesUnderTest())('two revocation instances (%s)', (db) => {
  let suite: RunningSuite;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let second: ServiceInstance;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let csr: string;

  beforeAll(async () => {
    database = db === 'postgres' ? await createTestDatabase() : undefined;
    const env = database ? { DATABASE_URL: database.url } : {};
    suite = await startSuite(env);
    second = await startServiceInstance('revocation', suite, env);
    nc = await connect({ servers: suite.natsUrl });
    rpc = new RpcClient(nc, 15_000);
    csr = opensslCsrBase64();
  });

  afterAll(async () => {
    await nc?.drain();
    await second?.stop();
    if (suite) await suite.stop();
    await database?.drop();
  });

  const issue = async (n: number, tag: string) => {
    const serials: string[] = [];
    for (let i = 0; i < n; i++) {
      const req: IssueCertificateRequest = { csr, profile: 'device', subject: { commonName: `${tag}-${i}` }, ttlSeconds: 3600 };
      serials.push((await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, req)).serial);
    }
    return serials;
  };
  const revoke = (serial: string) => rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial }, reason: 'keyCompromise', actor: 'e2e' });
  /** How many stream messages name each serial (the whole stream, read from the start). */
  const publishedCounts = async (): Promise<Map<string, number>> => {
    const js = jetstream(nc);
    const consumer = await js.consumers.get(Streams.revocations.name);
    const counts = new Map<string, number>();
    const last = (await (await js.streams.get(Streams.revocations.name)).info()).state.last_seq;
    if (last === 0) return counts;
    const msgs = await consumer.consume();
    for await (const m of msgs) {
      for (const s of m.string().match(/"serial":"([0-9A-Fa-f]+)"/g) ?? []) counts.set(s.slice(10, -1), (counts.get(s.slice(10, -1)) ?? 0) + 1);
      if (m.seq >= last) break;
    }
    return counts;
  };
  const leaderPid = (output: string): number => Number([...output.matchAll(/"pid":(\d+)[^\n]*outbox relay: leading/g)].pop()?.[1]);

  it('publishes every revocation exactly once, whichever instance took the command', async () => {
    expect(second.output()).toContain('outbox relay: following');
    const serials = await issue(12, 'both');
    // One command at a time: the queue group spreads them over both instances.
    const replies: RevokeReply[] = [];
    for (const s of serials) replies.push(await revoke(s));
    expect(replies.flatMap((r) => r.revoked.map((x) => x.serial)).sort()).toEqual([...serials].sort());
    const counts = await publishedCounts();
    for (const s of serials) expect([s, counts.get(s)]).toEqual([s, 1]);
  });

  it('hands the relay over when the leader is killed', async () => {
    const killed = leaderPid(suite.output());
    expect(killed).toBeGreaterThan(0);
    process.kill(killed, 'SIGKILL');
    // A request NATS hands to the dying instance before the server sees its connection close is
    // lost (core request/reply is at most once; the caller gets UNAVAILABLE and may retry, revoke
    // is idempotent): commands start once the launcher saw the process gone.
    await waitFor(() => suite.output(), /revocation stopped unexpectedly \(SIGKILL\)/, 10_000, 'the launcher seeing the killed leader gone');
    const serials = await issue(6, 'handover');
    // Commands now land on the follower (and on the launcher's restarted instance); no one leads
    // until the dead leader's lease expires, then the new leader's sweep publishes them.
    for (const s of serials) {
      const reply = await revoke(s).catch((e: Error) => {
        // Say what the revocation instances were doing when a command went unanswered.
        const lines = (suite.output() + second.output()).split('\n').filter((l) => /\[revocation|\[launcher|"service":"revocation"/.test(l)).slice(-60).join('\n');
        throw new Error(`${e.message} (killed ${killed})\n${lines}`);
      });
      expect(reply.revoked.map((r) => r.serial)).toEqual([s]);
    }
    await waitFor(() => suite.output() + second.output(), new RegExp(`"pid":(?!${killed}\\b)\\d+[^\\n]*outbox relay: leading`), 30_000, 'another instance leading the relay');
    let counts = new Map<string, number>();
    for (let i = 0; i < 50 && !serials.every((s) => counts.get(s)); i++) {
      counts = await publishedCounts();
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const s of serials) expect([s, counts.get(s)]).toEqual([s, 1]);
  });
});
