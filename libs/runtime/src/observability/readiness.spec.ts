import { checkReadiness } from './readiness';

describe('readiness', () => {
  const ok = { name: 'nats', probe: async () => undefined };
  it.each([
    ['ok/all probes answer', [ok], true],
    ['ok/no dependencies', [], true],
    ['fail/a probe rejects', [ok, { name: 'database', probe: async () => Promise.reject(new Error('ECONNREFUSED')) }], false],
    ['fail/a probe hangs', [ok, { name: 'database', probe: () => new Promise(() => undefined) }], false],
  ])('%s', async (_name, checks, ready) => {
    const report = await checkReadiness(checks, 50);
    expect(report.ready).toBe(ready);
    if (!ready) expect(report.checks.database).not.toBe('ok');
  });
});
