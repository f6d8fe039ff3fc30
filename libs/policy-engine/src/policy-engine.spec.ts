import { ErrorCode } from '@iis/contracts';
import { compilePolicy } from './compile';
import { DEFAULT_POLICY } from './default-policy';
import { evaluatePolicy, explainInWords } from './evaluate';
import type { Facts } from './facts';
import { nextTrustState } from './hysteresis';
import type { PolicyDocument } from './policy-document';

const healthy: Facts = { 'device.known': true, 'device.status': 'active', 'device.class': 'sensor', 'sim.known': true, 'sim.status': 'active' };
const withFirmware: PolicyDocument = {
  ...DEFAULT_POLICY,
  firmware: { minimum: { default: '1.0.0', sensor: '2.1.0' }, vulnerable: ['2.3.0', '>=3.0.0 <3.0.2'] },
  lists: { countries: ['DE', 'FR'], office: ['10.0.0.0/8', '2001:db8::/32'] },
  rules: [
    ...DEFAULT_POLICY.rules,
    { id: 'roaming', description: 'serving country not allowed', when: { fact: 'network.servingCountry', op: 'notIn', value: { list: 'countries' } }, score: -25 },
    { id: 'outside', description: 'source outside the office ranges', when: { fact: 'network.sourceIp', op: 'notInCidr', value: { list: 'office' } }, score: -5 },
    { id: 'foreign-sim', description: 'IMSI home network not ours', when: { fact: 'sim.mccMnc', op: 'notIn', value: ['262-01'] }, score: -5 },
    { id: 'old-range', description: '1.x firmware', when: { fact: 'firmware.version', op: 'semverSatisfies', value: '1.x' }, score: -1 },
  ],
};

describe('policy engine: evaluation', () => {
  const compiled = compilePolicy(withFirmware);
  it.each([
    ['ok/healthy device is allowed', healthy, 'allow', 100],
    ['ok/firmware at the class minimum', { ...healthy, 'firmware.version': '2.1.0' }, 'allow', 100],
    ['ok/allowed country and office address', { ...healthy, 'network.servingCountry': 'DE', 'network.sourceIp': '10.1.2.3' }, 'allow', 100],
    ['ok/IPv6 office address', { ...healthy, 'network.sourceIp': '2001:db8::1' }, 'allow', 100],
    ['ok/4 auth failures do not fire', { ...healthy, 'behaviour.authFailures': 4 }, 'allow', 100],
    ['ok/12 auth failures cost 20', { ...healthy, 'behaviour.authFailures': 12 }, 'allow', 80],
    ['ok/100 auth failures are limited to -40', { ...healthy, 'behaviour.authFailures': 100 }, 'allow-short-ttl', 60],
    ['ok/roaming + shared cert restricts', { ...healthy, 'network.servingCountry': 'US', 'behaviour.concurrentAddresses': 3 }, 'restrict', 45],
    ['fail/unknown device is denied', { ...healthy, 'device.known': false }, 'deny', 0],
    ['fail/unknown SIM is denied', { ...healthy, 'sim.known': false }, 'deny', 0],
    ['fail/lost SIM is denied', { ...healthy, 'sim.status': 'lost' }, 'deny', 0],
    ['fail/firmware below class minimum quarantines', { ...healthy, 'firmware.version': '2.0.9' }, 'quarantine', 50],
    ['fail/default minimum for another class', { ...healthy, 'device.class': 'meter', 'firmware.version': '0.9.0' }, 'quarantine', 50],
    ['ok/vulnerable version in a range costs 30', { ...healthy, 'firmware.version': '3.0.1' }, 'allow', 70],
    ['fail/SIM in another device', { ...healthy, 'sim.imeiChanged': true }, 'quarantine', 40],
    ['fail/policy quarantine caps', { ...healthy, 'device.quarantined': true }, 'quarantine', 100],
  ] as [string, Facts, string, number][])('%s', (_n, facts, outcome, score) => {
    const e = evaluatePolicy(compiled, facts);
    expect({ outcome: e.outcome, score: e.score }).toEqual({ outcome, score });
  });

  it('ok/explains every fired rule with its contribution', () => {
    const e = evaluatePolicy(compiled, { ...healthy, 'firmware.version': '2.0.0', 'behaviour.authFailures': 5 });
    expect(e.fired.map((f) => [f.ruleId, f.contribution])).toEqual([
      ['firmware-below-minimum', -50],
      ['auth-failures', -10],
    ]);
    expect(explainInWords(e).join('\n')).toContain('firmware is below the minimum for its device class (no better than quarantine)');
    expect(e.ttlSeconds).toBeNull();
  });

  it('ok/the TTL follows the outcome', () => {
    expect(evaluatePolicy(compiled, healthy).ttlSeconds).toBe(86400);
    expect(evaluatePolicy(compiled, { ...healthy, 'behaviour.authFailures': 100 }).ttlSeconds).toBe(3600);
  });
});

describe('policy engine: bad policies are refused with the path', () => {
  const rule = (over: object) => ({ ...DEFAULT_POLICY, rules: [{ id: 'r', description: 'd', when: { fact: 'device.known', op: 'eq', value: true }, score: -1, ...over }] });
  it.each([
    ['fail/not an object', 'nope', 'at /:'],
    ['fail/missing rules', { ...DEFAULT_POLICY, rules: undefined }, "must have required property 'rules'"],
    ['fail/unknown top-level field', { ...DEFAULT_POLICY, colour: 'red' }, 'at /colour: unknown field'],
    ['fail/unknown fact', rule({ when: { fact: 'device.colour', op: 'eq', value: 'red' } }), "at /rules/0/when/fact: unknown fact 'device.colour'"],
    ['fail/unknown fact deep', rule({ when: { all: [{ fact: 'device.known', op: 'eq', value: true }, { not: { fact: 'x.y', op: 'exists' } }] } }), 'at /rules/0/when/all/1/not/fact'],
    ['fail/unknown op', rule({ when: { fact: 'device.known', op: 'like', value: true } }), 'at /rules/0/when/op'],
    ['fail/op not for type', rule({ when: { fact: 'device.status', op: 'lt', value: 3 } }), "at /rules/0/when/op: 'lt' does not apply"],
    ['fail/division by zero', rule({ score: undefined, scorePer: { fact: 'behaviour.authFailures', every: 0, points: -5 } }), 'at /rules/0/scorePer/every: division by zero'],
    ['fail/score out of range', rule({ score: -1000 }), 'at /rules/0/score'],
    ['fail/thresholds not descending', { ...DEFAULT_POLICY, thresholds: { allow: 50, allowShortTtl: 60, restrict: 30, quarantine: 10 } }, 'at /thresholds'],
    ['fail/bad semver minimum', { ...DEFAULT_POLICY, firmware: { minimum: { sensor: 'one' } } }, 'at /firmware/minimum/sensor'],
    ['fail/bad CIDR', rule({ when: { fact: 'network.sourceIp', op: 'inCidr', value: ['10.0.0.0/33'] } }), 'at /rules/0/when/value/0'],
    ['fail/unknown list', rule({ when: { fact: 'device.status', op: 'in', value: { list: 'nope' } } }), 'at /rules/0/when/value/list'],
    ['fail/duplicate rule id', { ...DEFAULT_POLICY, rules: [DEFAULT_POLICY.rules[0], DEFAULT_POLICY.rules[0]] }, 'at /rules/1/id'],
    ['fail/bad list name', { ...DEFAULT_POLICY, lists: { 'no spaces': ['x'] } }, 'at /lists/no spaces: must match pattern'],
    ['fail/wrong value type', rule({ when: { fact: 'device.known', op: 'eq', value: 'yes' } }), 'at /rules/0/when/value'],
  ])('%s', (_n, doc, message) => {
    expect(() => compilePolicy(doc)).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
    expect(() => compilePolicy(doc)).toThrow(message);
  });
});

describe('hysteresis', () => {
  it.each([
    ['ok/trusted stays trusted on allow', 'trusted', 'allow', 90, 'trusted'],
    ['ok/enters quarantine at once', 'trusted', 'quarantine', 25, 'quarantined'],
    ['ok/stays quarantined just above the threshold', 'quarantined', 'restrict', 30, 'quarantined'],
    ['ok/released at threshold + points', 'quarantined', 'allow', 35, 'trusted'],
    ['ok/deny wins', 'quarantined', 'deny', 5, 'denied'],
    ['ok/denied does not drop to quarantined', 'denied', 'quarantine', 25, 'denied'],
  ] as const)('%s', (_n, cur, outcome, score, next) => {
    expect(nextTrustState(cur, outcome, score, 20, 15)).toBe(next);
  });
});
