import type { JetStreamClient } from '@nats-io/jetstream';
import { OutboxPublisher, PendingMessage } from './outbox-publisher';

interface Row extends PendingMessage {
  id: number;
  ageMs: number;
}

/** An in-memory outbox and a JetStream stand-in that can be told to fail from the n-th publish. */
function setup(rows: Row[], opts: { batch?: number; failAt?: number } = {}) {
  const published: string[] = [];
  const errors: string[] = [];
  let publishes = 0;
  const js = {
    publish: async (_subject: string, _payload: string, o: { msgID: string }) => {
      publishes++;
      if (opts.failAt !== undefined && publishes >= opts.failAt) throw new Error('nats down');
      published.push(o.msgID);
    },
  } as unknown as JetStreamClient;
  const publisher = new OutboxPublisher<Row>({
    fetch: async (take, minAgeMs) => rows.filter((r) => r.ageMs >= minAgeMs).slice(0, take),
    markSent: async (sent) => {
      for (const s of sent) rows.splice(rows.indexOf(s), 1);
    },
    js: () => js,
    batch: opts.batch ?? 2,
    onError: (e) => errors.push(e.message),
  });
  return { publisher, published, errors, rows };
}
const row = (id: number, ageMs = 10_000): Row => ({ id, ageMs, subject: 's', payload: '{}', msgId: `m-${id}` });

describe('OutboxPublisher', () => {
  it('publishes in order, batch by batch, until a short batch', async () => {
    const t = setup([row(1), row(2), row(3), row(4), row(5)]);
    await t.publisher.publish();
    expect(t.published).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    expect(t.rows).toEqual([]);
  });

  it('marks what JetStream took before a failure and keeps the rest', async () => {
    const t = setup([row(1), row(2), row(3)], { batch: 10, failAt: 3 });
    await t.publisher.publish();
    expect(t.published).toEqual(['m-1', 'm-2']);
    expect(t.rows.map((r) => r.id)).toEqual([3]);
    expect(t.errors).toEqual(['nats down']);
  });

  it('a call during a pass runs one more pass with the smallest age asked for', async () => {
    const t = setup([row(1, 0)]);
    const sweep = t.publisher.publish(2000);
    const flush = t.publisher.publish(0);
    expect(t.publisher.running()).toBe(sweep);
    await Promise.all([sweep, flush]);
    expect(t.published).toEqual(['m-1']);
    expect(t.publisher.running()).toBeUndefined();
  });
});
