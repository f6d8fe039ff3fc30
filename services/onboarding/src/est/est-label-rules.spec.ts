import { DEFAULT_LABEL, labelProblem, ttlFor } from './est-label-rules';

describe('EST label rules', () => {
  it.each([
    ['ok/name only', { name: 'factory' }],
    ['ok/everything', { name: 'line-2.b', profile: 'device' as const, keyTypes: ['P-256', 'RSA'], maxTtlSeconds: 3600 }],
  ])('%s', (_n, req) => {
    expect(labelProblem(req)).toBeNull();
  });

  it.each([
    ['fail/operation name', { name: 'simpleenroll' }, /operation name/],
    ['fail/slash', { name: 'a/b' }, /name/],
    ['fail/unknown key type', { name: 'x', keyTypes: ['P-521'] }, /keyTypes/],
    ['fail/no key types', { name: 'x', keyTypes: [] }, /keyTypes/],
    ['fail/short ttl', { name: 'x', maxTtlSeconds: 5 }, /maxTtlSeconds/],
    ['fail/other profile', { name: 'x', profile: 'server' as unknown as 'device' }, /profile/],
  ])('%s', (_n, req, want) => {
    expect(labelProblem(req)).toMatch(want);
  });

  it.each([
    ['ok/no label maximum', 86400, null, 86400],
    ['ok/label shortens', 86400, 3600, 3600],
    ['ok/policy shorter', 600, 3600, 600],
  ])('ttl %s', (_n, policy, max, want) => {
    expect(ttlFor(policy, { ...DEFAULT_LABEL, maxTtlSeconds: max })).toBe(want);
  });
});
