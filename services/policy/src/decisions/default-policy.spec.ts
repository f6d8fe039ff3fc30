import type { DecisionRequest } from '@iis/contracts';
import { evaluateDefaultPolicy } from './default-policy';

const ok: DecisionRequest = { deviceId: 'd1', deviceStatus: 'active', simStatus: 'active', action: 'enroll' };

describe('default policy', () => {
  it.each([
    ['ok/active device, active SIM', ok, 'allow'],
    ['ok/pending device (first enrollment)', { ...ok, deviceStatus: 'pending' }, 'allow'],
    ['fail/unknown device', { ...ok, deviceId: null, deviceStatus: null }, 'deny'],
    ['fail/quarantined device', { ...ok, deviceStatus: 'quarantined' }, 'deny'],
    ['fail/retired device', { ...ok, deviceStatus: 'retired' }, 'deny'],
    ['fail/no SIM', { ...ok, simStatus: null }, 'deny'],
    ['fail/lost SIM', { ...ok, simStatus: 'lost' }, 'deny'],
    ['fail/suspended SIM', { ...ok, simStatus: 'suspended' }, 'deny'],
  ] as [string, DecisionRequest, string][])('%s', (_n, req, outcome) => {
    const e = evaluateDefaultPolicy(req);
    expect(e.outcome).toBe(outcome);
    expect(e.reasons.length).toBeGreaterThan(0);
  });

  it('fail/lost SIM says why', () => {
    expect(evaluateDefaultPolicy({ ...ok, simStatus: 'lost' }).reasons).toEqual(['SIM is lost']);
  });
});
