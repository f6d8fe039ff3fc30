import type { DeviceDecisionsReply } from '@iis/contracts';
import { formatExplain, formatPolicyList } from './policy-output';

const reply: DeviceDecisionsReply & { serial: string } = {
  serial: 'SN-1',
  deviceId: 'd-1',
  trustState: 'quarantined',
  decisions: [
    {
      decisionId: 'x-2',
      deviceId: 'd-1',
      action: 'rescore',
      trigger: 'event:firmware',
      outcome: 'deny',
      trustOutcome: 'quarantine',
      score: 50,
      ttlSeconds: 0,
      policyVersion: 'fleet@2',
      reasons: ['firmware is below the minimum for its device class'],
      explanation: [{ ruleId: 'firmware-below-minimum', description: 'firmware is below the minimum for its device class', contribution: -50, cap: 'quarantine' }],
      facts: null,
      createdAt: '2026-11-24T10:00:01.000Z',
    },
    {
      decisionId: 'x-1',
      deviceId: 'd-1',
      action: 'enroll',
      trigger: 'enroll',
      outcome: 'allow',
      trustOutcome: null,
      score: null,
      ttlSeconds: 86400,
      policyVersion: 'builtin-default-1',
      reasons: ['registered device with an active SIM'],
      explanation: [],
      facts: null,
      createdAt: '2026-11-24T09:00:00.000Z',
    },
  ],
};

describe('policy output', () => {
  it('ok/explain says what happened and why, newest first', () => {
    const text = formatExplain(reply);
    expect(text).toContain('device SN-1 (d-1): trust state quarantined');
    expect(text).toContain('re-scored after a firmware event: QUARANTINED, score 50/100');
    expect(text).toContain(' -50  firmware is below the minimum for its device class (no better than quarantine)  [firmware-below-minimum]');
    // a decision from before the engine (no score, no explanation) still reads
    expect(text).toContain('enroll request: allow');
    expect(text).toContain('because: registered device with an active SIM');
    expect(text.indexOf('firmware event')).toBeLessThan(text.indexOf('enroll request'));
  });

  it('ok/no decisions yet', () => {
    expect(formatExplain({ ...reply, decisions: [] })).toContain('no decisions recorded yet');
  });

  it('ok/list marks the active version and shows who activated what', () => {
    const text = formatPolicyList({
      active: 2,
      versions: [{ version: 2, name: 'fleet', sha256: 'ab'.repeat(32), uploadedBy: 'alice', uploadedAt: '2026-11-24T10:00:00.000Z', active: true, ruleCount: 12 }],
      activations: [{ id: 2, version: 2, previousVersion: 1, kind: 'activate', actor: 'alice', reason: 'stricter', activatedAt: '2026-11-24T10:00:00.000Z' }],
    });
    expect(text).toContain('*   2  fleet  12 rules');
    expect(text).toContain('activate version 2 (was 1) by alice: stricter');
  });

  it('fail/control characters from the server are not printed', () => {
    const text = formatExplain({ ...reply, serial: 'SN-\u001b[31m' });
    expect(text).not.toContain('\u001b');
  });
});
