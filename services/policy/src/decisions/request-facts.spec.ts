import type { DecisionRequest } from '@iis/contracts';
import { factsForDecision, validateDecisionRequest } from './request-facts';

const req: DecisionRequest = { deviceId: 'd1', deviceStatus: 'active', simStatus: 'active', action: 'enroll' };

describe('decision facts', () => {
  it.each([
    ['ok/registry facts from the request', req, {}, false, { 'device.known': true, 'sim.known': true, 'device.status': 'active', 'request.action': 'enroll', 'device.quarantined': false }],
    ['ok/unknown device', { ...req, deviceId: null, deviceStatus: null }, {}, false, { 'device.known': false }],
    ['ok/learned facts are kept', req, { 'firmware.version': '1.0.0' }, false, { 'firmware.version': '1.0.0' }],
    ['ok/caller facts override learned ones', { ...req, facts: { 'firmware.version': '2.0.0' } }, { 'firmware.version': '1.0.0' }, false, { 'firmware.version': '2.0.0' }],
    ['fail/caller cannot set owned facts', { ...req, facts: { 'device.quarantined': false, 'sim.status': 'active' } }, {}, true, { 'device.quarantined': true }],
    ['fail/caller unknown facts are ignored', { ...req, facts: { 'device.colour': 'red' } }, {}, false, { 'device.known': true }],
  ] as [string, DecisionRequest, Record<string, string>, boolean, Record<string, unknown>][])('%s', (_n, r, learned, q, expected) => {
    expect(factsForDecision(r, learned, q)).toMatchObject(expected);
    expect(factsForDecision(r, learned, q)).not.toHaveProperty('device.colour');
  });

  it.each([
    ['ok/enroll', req, null],
    ['fail/no action', { ...req, action: 'fly' }, 'action must be enroll or reenroll'],
    ['fail/not an object', undefined, 'a decision request is an object'],
    ['fail/long device id', { ...req, deviceId: 'x'.repeat(40) }, 'deviceId must be a string of at most 36 characters'],
  ] as [string, DecisionRequest, string | null][])('%s', (_n, r, err) => {
    expect(validateDecisionRequest(r)).toBe(err);
  });
});
