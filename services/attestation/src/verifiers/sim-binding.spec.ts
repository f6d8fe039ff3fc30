import type { SimView } from '@iis/contracts';
import { AttestationReason } from '@iis/attestation';
import { checkSimBinding, simClaims } from './sim-binding';

const bound: SimView = { iccid: '89441000303122845215', imsi: '234150999999999', imei: '490154203237518', status: 'active', deviceId: 'd1', lostAt: null };
const claims = { iccid: bound.iccid, imsi: bound.imsi, imei: bound.imei };

describe('checkSimBinding', () => {
  it('ok/the bound, active SIM in the bound device', () => {
    expect(() => checkSimBinding(claims, bound, null)).not.toThrow();
  });

  it.each([
    ['fail/no SIM registered for the device', claims, null, null, AttestationReason.SimUnknown],
    ['fail/lost SIM', claims, { ...bound, status: 'lost' }, null, AttestationReason.SimLost],
    ['fail/suspended SIM', claims, { ...bound, status: 'suspended' }, null, AttestationReason.SimSuspended],
    ['fail/retired SIM', claims, { ...bound, status: 'retired' }, null, AttestationReason.SimSuspended],
    ['fail/another IMEI: possible clone or SIM swap', { ...claims, imei: '356938035643809' }, bound, null, AttestationReason.SimMismatch],
    ['fail/another IMSI: possible clone', { ...claims, imsi: '234150000000001' }, bound, null, AttestationReason.SimMismatch],
    ['fail/an ICCID bound to another device: possible SIM swap', { ...claims, iccid: '89441000303122845223' }, bound, { ...bound, iccid: '89441000303122845223', deviceId: 'd2' }, AttestationReason.SimMismatch],
    ['fail/an ICCID not in the registry', { ...claims, iccid: '89441000303122845223' }, bound, null, AttestationReason.SimMismatch],
  ] as const)('%s', (_name, c, b, elsewhere, reason) => {
    expect(() => checkSimBinding(c, b as SimView | null, elsewhere as SimView | null)).toThrow(expect.objectContaining({ reason }));
  });

  const keyed: SimView = { ...bound, keySha256: 'a'.repeat(64) };
  it.each([
    ['ok/the bound key', keyed, 'a'.repeat(64)],
    ['ok/no key bound yet, none proven', bound, null],
    ['ok/no key bound yet, one proven', bound, 'b'.repeat(64)],
  ] as const)('%s', (_name, b, key) => {
    expect(() => checkSimBinding(claims, b, null, key)).not.toThrow();
  });

  it.each([
    ['fail/another key than the bound one: possible clone or SIM swap', 'b'.repeat(64), /possible clone or SIM swap: .* seen with key sha256:bbbb/],
    ['fail/a key is bound and none is proven', null, /possible clone: .* bound to a device key and the evidence proves none/],
  ] as const)('%s', (_name, key, message) => {
    expect(() => checkSimBinding(claims, keyed, null, key)).toThrow(expect.objectContaining({ reason: AttestationReason.SimMismatch, message: expect.stringMatching(message) }));
  });

  it.each([
    ['fail/missing', undefined],
    ['fail/ICCID with letters', { ...claims, iccid: '8944abc' }],
    ['fail/IMEI too short', { ...claims, imei: '123' }],
  ])('%s claims are bad evidence', (_name, v) => {
    expect(() => simClaims(v)).toThrow(expect.objectContaining({ reason: AttestationReason.BadEvidence }));
  });
});
