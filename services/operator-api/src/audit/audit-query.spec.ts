import { ErrorCode } from '@iis/contracts';
import { parseAuditQuery } from './audit-query';

describe('parseAuditQuery', () => {
  it.each([
    ['ok/nothing', {}, { limit: 100 }],
    ['ok/since a date', { since: '2026-11-24' }, { since: new Date('2026-11-24T00:00:00Z') }],
    ['ok/since and until', { since: '2026-11-24T09:00:00Z', until: '2026-11-25T00:00:00+01:00' }, { until: new Date('2026-11-24T23:00:00Z') }],
    ['ok/device', { device: 'SN-0001' }, { device: 'SN-0001' }],
    ['ok/cursor and limit', { after: '42', limit: '1000' }, { after: 42, limit: 1000 }],
    ['ok/actor with @', { actor: 'alice@example.org' }, { actor: 'alice@example.org' }],
  ])('%s', (_n, q, expected) => {
    expect(parseAuditQuery(q)).toMatchObject(expected);
  });

  it.each([
    ['fail/sql in device', { device: "x' OR '1'='1" }],
    ['fail/sql in since', { since: "2026-11-24'; DROP TABLE audit_entries; --" }],
    ['fail/sql in action', { action: "a'; DELETE FROM audit_entries" }],
    ['fail/operator object (qs)', { device: { $ne: null } }],
    ['fail/array', { device: ['a', 'b'] }],
    ['fail/unknown filter', { where: '1=1' }],
    ['fail/not a date', { since: 'yesterday' }],
    ['fail/impossible date', { since: '2026-13-45' }],
    ['fail/since after until', { since: '2026-11-25', until: '2026-11-24' }],
    ['fail/limit too high', { limit: '1001' }],
    ['fail/limit zero', { limit: '0' }],
    ['fail/negative cursor', { after: '-1' }],
    ['fail/cursor not a number', { after: '1 OR 1=1' }],
    ['fail/control characters', { actor: 'alice\u0000' }],
  ])('%s', async (_n, q) => {
    await expect(Promise.resolve().then(() => parseAuditQuery(q as Record<string, unknown>))).rejects.toMatchObject({ code: ErrorCode.BadRequest });
  });
});
