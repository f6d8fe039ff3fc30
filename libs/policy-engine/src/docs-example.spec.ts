import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePolicy } from './compile';
import { evaluatePolicy } from './evaluate';

/** The worked example in docs/policy.md: the file compiles and gives the figures the page shows. */
describe('docs/policy-example.json', () => {
  const policy = compilePolicy(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../docs/policy-example.json'), 'utf8')));

  it('ok/the worked example scores as documented', () => {
    const e = evaluatePolicy(policy, {
      'request.action': 'enroll',
      'device.known': true,
      'device.status': 'active',
      'device.class': 'sensor',
      'device.quarantined': false,
      'sim.known': true,
      'sim.status': 'active',
      'sim.mccMnc': '262-01',
      'network.servingCountry': 'CH',
      'network.sourceIp': '203.0.113.9',
      'attestation.type': 'secret',
      'firmware.version': '2.2.0',
      'behaviour.authFailures': 7,
    });
    expect(e.fired.map((f) => `${f.ruleId}:${f.contribution}`)).toEqual(['firmware-vulnerable:-30', 'no-hardware-attestation:-10', 'roaming-outside-eu:-20', 'outside-office:-5', 'auth-failures:-10']);
    expect({ score: e.score, outcome: e.outcome, ttl: e.ttlSeconds }).toEqual({ score: 25, outcome: 'quarantine', ttl: null });
  });

  it('ok/after a firmware update to 2.3.0 the same device is restricted', () => {
    const e = evaluatePolicy(policy, { 'device.known': true, 'device.class': 'sensor', 'sim.known': true, 'sim.status': 'active', 'network.servingCountry': 'CH', 'attestation.type': 'secret', 'firmware.version': '2.3.0', 'behaviour.authFailures': 7, 'network.sourceIp': '203.0.113.9', 'request.action': 'enroll' });
    expect({ score: e.score, outcome: e.outcome, ttl: e.ttlSeconds }).toEqual({ score: 55, outcome: 'allow-short-ttl', ttl: 3600 });
  });
});
