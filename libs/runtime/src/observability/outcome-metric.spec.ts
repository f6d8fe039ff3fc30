import { register } from 'prom-client';
import { DomainError, ErrorCode } from '@iis/contracts';
import { OutcomeMetric } from './outcome-metric';

describe('OutcomeMetric', () => {
  afterEach(() => register.clear());

  it('counts results by their outcome and failures by error code', async () => {
    const m = new OutcomeMetric<{ outcome: string }>('iis_test_decisions', 'Test decisions', (r) => r.outcome);
    await m.observe(async () => ({ outcome: 'allow' }));
    await m.observe(async () => ({ outcome: 'deny' }));
    await expect(m.observe(() => Promise.reject(new DomainError(ErrorCode.BadRequest, 'no')))).rejects.toMatchObject({ code: ErrorCode.BadRequest });
    const text = await register.metrics();
    expect(text).toContain('iis_test_decisions_total{outcome="allow"} 1');
    expect(text).toContain('iis_test_decisions_total{outcome="deny"} 1');
    expect(text).toContain(`iis_test_decisions_total{outcome="${ErrorCode.BadRequest.toLowerCase()}"} 1`);
    expect(text).toContain('iis_test_decisions_duration_seconds_count{outcome="allow"} 1');
  });
});
