import { agentLag, parseHeartbeat } from './agent-heartbeat.rules';

const ok = { name: 'site-7', lastStreamSequence: 12, revokedCount: 3, rejected: 0, at: '2026-01-01T00:00:00.000Z' };

describe('agent heartbeats', () => {
  it('ok/a well-formed heartbeat', () => {
    expect(parseHeartbeat(ok)).toEqual(ok);
  });

  it.each([
    ['fail/not an object', 'x'],
    ['fail/name with a dot', { ...ok, name: 'a.b' }],
    ['fail/negative sequence', { ...ok, lastStreamSequence: -1 }],
    ['fail/sequence as text', { ...ok, lastStreamSequence: '12' }],
    ['fail/bad time', { ...ok, at: 'yesterday' }],
  ])('%s', (_n, raw) => {
    expect(parseHeartbeat(raw)).toBeNull();
  });

  it.each([
    ['ok/caught up', 10, 10, 0, false],
    ['ok/behind by three', 13, 10, 3, false],
    ['ok/ahead of a recreated stream counts as no lag', 2, 10, 0, false],
  ])('%s', (_n, last, applied, lag, stale) => {
    const now = new Date('2026-01-01T00:00:10Z');
    expect(agentLag(last, applied, new Date('2026-01-01T00:00:05Z'), now, 30_000)).toEqual({ lag, stale });
  });

  it('fail/silent for longer than the threshold is stale', () => {
    expect(agentLag(1, 1, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:01:00Z'), 30_000).stale).toBe(true);
  });
});
