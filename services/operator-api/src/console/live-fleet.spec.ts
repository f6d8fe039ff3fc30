import { firstValueFrom, take, toArray } from 'rxjs';
import { liveFleet } from './live-fleet';

describe('liveFleet', () => {
  it('ok/sends a snapshot once, again only when it changed, and ends when the session does', async () => {
    const snapshots = [{ n: 1, at: 'a' }, { n: 1, at: 'b' }, { n: 2, at: 'c' }];
    let looks = 0;
    const events = await firstValueFrom(
      liveFleet({
        snapshot: async () => snapshots[Math.min(looks++, snapshots.length - 1)],
        stillValid: async () => looks < 3,
        tickMs: 1,
        keepAliveMs: Number.MAX_SAFE_INTEGER,
      }).pipe(toArray()),
    );
    expect(events).toEqual([
      { type: 'fleet', data: { n: 1, at: 'a' } },
      { type: 'fleet', data: { n: 2, at: 'c' } },
      { type: 'session-expired', data: { reason: 'the token expired or was revoked' } },
    ]);
  });

  it('ok/repeats an unchanged snapshot when the keep-alive is due', async () => {
    let clock = 0;
    const events = await firstValueFrom(
      liveFleet({
        snapshot: async () => ({ n: 1 }),
        stillValid: async () => true,
        tickMs: 1,
        keepAliveMs: 10,
        now: () => (clock += 10),
      }).pipe(take(2), toArray()),
    );
    expect(events).toEqual([{ type: 'fleet', data: { n: 1 } }, { type: 'fleet', data: { n: 1 } }]);
  });

  it('fail/a snapshot that fails is reported and the stream goes on', async () => {
    let looks = 0;
    const events = await firstValueFrom(
      liveFleet({
        snapshot: async () => {
          if (looks++ === 0) throw new Error('NATS down');
          return { n: 1 };
        },
        stillValid: async () => true,
        tickMs: 1,
        keepAliveMs: Number.MAX_SAFE_INTEGER,
      }).pipe(take(2), toArray()),
    );
    expect(events).toEqual([{ type: 'problem', data: { message: 'NATS down' } }, { type: 'fleet', data: { n: 1 } }]);
  });
});
