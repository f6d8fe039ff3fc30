import type { Msg, NatsConnection, RequestOptions } from '@nats-io/transport-node';
import { DomainError, ErrorCode } from '@iis/contracts';
import { CORRELATION_HEADER, withCorrelationId } from './correlation';
import { RpcClient } from './rpc-client';

/** A connection stand-in: records each request and the turn it was made in; answers `{response: <subject>}`. */
function fakeConnection(opts: { throwOn?: string; rejectOn?: string } = {}) {
  const sent: Array<{ subject: string; turn: number; write: number; correlationId: string | undefined; timeout: number | undefined }> = [];
  let turn = 0;
  // As nats.js: what is published before the next microtask checkpoint goes out in one socket write.
  let write = 0;
  let flushQueued = false;
  const tick = () => {
    turn++;
    timer = setImmediate(tick);
  };
  let timer = setImmediate(tick);
  const nc = {
    request: (subject: string, payload: string, o: RequestOptions) => {
      if (subject === opts.throwOn) throw new Error('connection closed');
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(() => {
          flushQueued = false;
          write++;
        });
      }
      sent.push({ subject, turn, write, correlationId: o.headers?.get(CORRELATION_HEADER), timeout: o.timeout });
      if (subject === opts.rejectOn) return Promise.reject(new Error('timeout'));
      const id = (JSON.parse(payload) as { id: string }).id;
      return Promise.resolve({ string: () => JSON.stringify({ id, response: subject }) } as unknown as Msg);
    },
  } as unknown as NatsConnection;
  return { nc, sent, stop: () => clearImmediate(timer) };
}

describe('RpcClient', () => {
  it('ok/requests made in one turn go to the connection together, after that turn, each with its caller\'s correlation id', async () => {
    const f = fakeConnection();
    const rpc = new RpcClient(f.nc, 1234);
    const a = withCorrelationId('corr-a', () => rpc.request<object, string>('s.a', {}));
    const b = withCorrelationId('corr-b', () => rpc.request<object, string>('s.b', {}));
    expect(f.sent).toEqual([]);
    await expect(Promise.all([a, b])).resolves.toEqual(['s.a', 's.b']);
    expect(f.sent.map((s) => [s.subject, s.correlationId, s.timeout])).toEqual([['s.a', 'corr-a', 1234], ['s.b', 'corr-b', 1234]]);
    expect(f.sent[0].turn).toBe(f.sent[1].turn);
    await expect(rpc.request<object, string>('s.c', {})).resolves.toBe('s.c');
    expect(f.sent[2].turn).toBeGreaterThan(f.sent[0].turn);
    f.stop();
  });

  it('ok/two clients on one connection share the turn: their requests go out in one socket write', async () => {
    const f = fakeConnection();
    const [one, two] = [new RpcClient(f.nc), new RpcClient(f.nc)];
    await expect(Promise.all([one.request<object, string>('s.one', {}), two.request<object, string>('s.two', {})])).resolves.toEqual(['s.one', 's.two']);
    expect(f.sent.map((s) => s.subject)).toEqual(['s.one', 's.two']);
    expect(f.sent[0].write).toBe(f.sent[1].write);
    f.stop();
  });

  it.each([
    ['fail/the connection throws: UNAVAILABLE, and the requests queued beside it still go', { throwOn: 's.bad' }],
    ['fail/no answer: UNAVAILABLE', { rejectOn: 's.bad' }],
  ])('%s', async (_n, opts) => {
    const f = fakeConnection(opts);
    const rpc = new RpcClient(f.nc);
    const bad = rpc.request('s.bad', {});
    const good = rpc.request('s.good', {});
    await expect(bad).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    await expect(bad).rejects.toBeInstanceOf(DomainError);
    await expect(good).resolves.toBe('s.good');
    f.stop();
  });
});
