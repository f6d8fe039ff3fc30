import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { AttestationResultEvent, FactStreams } from '@iis/contracts';
import { openStore } from '@iis/persistence';
import { TestNatsServer } from '../../../../test/support/nats-server';
import { ChallengeEntity } from '../challenges/challenge.entity';
import { ATTESTATION_MIGRATIONS } from '../migrations/attestation-migrations';
import { AttestationResultEntity } from '../results/attestation-result.entity';
import { FactOutbox } from './fact-outbox';
import { FactOutboxEntity } from './fact-outbox.entity';

// Real nats-server with JetStream (its own port and store), real SQLite with the service's migrations.
jest.setTimeout(60_000);

let nats: TestNatsServer;
let nc: NatsConnection;
let ds: DataSource;
let clock = new Date('2026-01-01T00:00:00Z');
const logs: string[] = [];
const outbox = () => new FactOutbox({ ds, js: jetstream(nc), now: () => clock, log: (l) => logs.push(l) });
const fact = (id: string): AttestationResultEvent => ({ version: 1, eventId: id, deviceId: 'd1', observedAt: clock.toISOString(), source: 'attestation', kind: 'attestation', type: 'tpm', verdict: 'pass', resultId: id });
const streamCount = async () => (await (await jetstreamManager(nc)).streams.info(FactStreams.name)).state.messages;

beforeAll(async () => {
  nats = await TestNatsServer.start();
  nc = await connect({ servers: nats.url });
  ds = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'iis-fact-outbox-')), databaseUrl: undefined }, { service: 'attestation', entities: [ChallengeEntity, AttestationResultEntity, FactOutboxEntity], migrations: ATTESTATION_MIGRATIONS });
});
afterAll(async () => {
  await ds?.destroy();
  await nc?.close();
  await nats?.stop();
});

describe('attestation fact outbox', () => {
  it('keeps facts while they cannot be published, sends each once when the stream is there, and a rolled-back fact never', async () => {
    const a = outbox();
    // No facts stream yet (the policy service makes it): the publish fails, the facts stay.
    await ds.transaction((em) => a.add(em, FactStreams.attestation, fact('r-1')));
    await ds.transaction((em) => a.add(em, FactStreams.simSeen, { ...fact('r-2'), kind: 'sim-seen' } as never));
    await ds.transaction(async (em) => {
      await a.add(em, FactStreams.attestation, fact('r-rolled-back'));
      throw new Error('the result insert failed');
    }).catch(() => undefined);
    await a.kick();
    expect(await a.pending()).toBe(2);
    expect(logs.join('\n')).toMatch(/kept for the next sweep/);

    await (await jetstreamManager(nc)).streams.add({ name: FactStreams.name, subjects: [...FactStreams.subjects], duplicate_window: 2 * 60 * 1_000_000_000 });
    // A sweep leaves rows younger than its grace to the request that wrote them.
    await a.sweep();
    expect(await a.pending()).toBe(2);
    clock = new Date(clock.getTime() + 5000);
    await a.sweep();
    expect(await a.pending()).toBe(0);
    expect(await streamCount()).toBe(2);

    // Two instances sweeping the same rows at once: JetStream keeps one copy of each.
    const b = outbox();
    for (const id of ['r-3', 'r-4', 'r-5']) await ds.transaction((em) => a.add(em, FactStreams.attestation, fact(id)));
    clock = new Date(clock.getTime() + 5000);
    await Promise.all([a.sweep(), b.sweep()]);
    expect(await a.pending()).toBe(0);
    expect(await streamCount()).toBe(5);
    const consumer = await jetstream(nc).consumers.get(FactStreams.name);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((JSON.parse((await consumer.next({ expires: 2000 }))!.string()) as { eventId: string }).eventId);
    expect(ids).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
  });

  it('a flush that comes while a sweep runs publishes its fresh fact in the extra pass, not at the next sweep', async () => {
    // Same stream as above (adding it again with the same settings is a no-op when it is there).
    await (await jetstreamManager(nc)).streams.add({ name: FactStreams.name, subjects: [...FactStreams.subjects], duplicate_window: 2 * 60 * 1_000_000_000 });
    const a = outbox();
    const before = await streamCount();
    await ds.transaction((em) => a.add(em, FactStreams.attestation, fact('r-fresh')));
    // The sweep leaves the fresh row to its request; the request's flush arrives while the sweep runs.
    const sweeping = a.sweep();
    const flushing = a.kick();
    await Promise.all([sweeping, flushing]);
    expect(await a.pending()).toBe(0);
    expect(await streamCount()).toBe(before + 1);
  });
});
