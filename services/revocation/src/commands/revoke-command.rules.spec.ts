import { revokeCommandProblem } from './revoke-command.rules';

describe('revoke command shape', () => {
  it.each([
    ['ok/by serial', { target: { serial: '7fa3c2' }, reason: 'keyCompromise' }],
    ['ok/by device', { target: { deviceId: '5f5e19dd-1e0f-429c-9caf-929dcb995786' }, reason: 'cessationOfOperation' }],
    ['ok/by SIM', { target: { iccid: '89441000303122845215' }, reason: 'unspecified' }],
    ['ok/by issuer', { target: { issuerId: 'issuing-0a1b2c' }, reason: 'cACompromise', comment: 'key exposure' }],
  ])('%s', (_n, cmd) => {
    expect(revokeCommandProblem(cmd)).toBeNull();
  });

  it.each([
    ['fail/not an object', null],
    ['fail/no target', { reason: 'keyCompromise' }],
    ['fail/two targets', { target: { serial: '0a', iccid: '89441000303122845215' }, reason: 'keyCompromise' }],
    ['fail/unknown target', { target: { imei: '490154203237518' }, reason: 'keyCompromise' }],
    ['fail/serial not hex', { target: { serial: "1' OR '1'='1" }, reason: 'keyCompromise' }],
    ['fail/serial too long', { target: { serial: 'a'.repeat(41) }, reason: 'keyCompromise' }],
    ['fail/unknown reason', { target: { serial: '0a' }, reason: 'becauseISaidSo' }],
    ['fail/hold is not a revocation here', { target: { serial: '0a' }, reason: 'certificateHold' }],
    ['fail/comment too long', { target: { serial: '0a' }, reason: 'keyCompromise', comment: 'x'.repeat(401) }],
  ])('%s', (_n, cmd) => {
    expect(revokeCommandProblem(cmd)).toEqual(expect.any(String));
  });
});
