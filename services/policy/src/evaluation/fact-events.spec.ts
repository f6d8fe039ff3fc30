import { applyFactEvent, mccMnc, MalformedEvent, parseFactEvent } from './fact-events';

const base = { version: 1, eventId: 'e1', deviceId: '6f1c2a7e-0000-4000-8000-000000000001', observedAt: '2026-11-24T10:00:00Z', source: 'gateway:gw-1' };
const reg = { deviceClass: 'sensor', iccid: '894900000000000001', imei: '356938035643809', imsi: '262011234567890', keySha256: 'a'.repeat(64), keyBoundAt: '2026-11-24T09:30:00Z' };
const now = new Date('2026-11-24T10:00:10Z');

describe('fact events', () => {
  it.each([
    ['ok/behaviour', { ...base, kind: 'behaviour', counters: { authFailures: 7 } }],
    ['ok/attestation', { ...base, kind: 'attestation', type: 'tpm', verdict: 'fail' }],
    ['ok/firmware', { ...base, kind: 'firmware', firmwareVersion: '1.2.3' }],
    ['ok/sim-seen', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: '490154203237518', servingCountry: 'DE' }],
  ])('%s', (_n, e) => {
    expect(parseFactEvent(JSON.stringify(e))).toMatchObject({ kind: e.kind });
  });

  it.each([
    ['fail/not JSON', '{'],
    ['fail/array', '[]'],
    ['fail/wrong version', JSON.stringify({ ...base, version: 2, kind: 'firmware', firmwareVersion: '1.0.0' })],
    ['fail/no device', JSON.stringify({ ...base, deviceId: undefined, kind: 'firmware', firmwareVersion: '1.0.0' })],
    ['fail/bad time', JSON.stringify({ ...base, observedAt: 'yesterday', kind: 'firmware', firmwareVersion: '1.0.0' })],
    ['fail/unknown kind', JSON.stringify({ ...base, kind: 'weather' })],
    ['fail/bad version', JSON.stringify({ ...base, kind: 'firmware', firmwareVersion: 'v-one' })],
    ['fail/negative counter', JSON.stringify({ ...base, kind: 'behaviour', counters: { authFailures: -1 } })],
    ['fail/unknown counter', JSON.stringify({ ...base, kind: 'behaviour', counters: { coffee: 1 } })],
    ['fail/bad imei', JSON.stringify({ ...base, kind: 'sim-seen', iccid: reg.iccid, imei: 'x' })],
    ['fail/bad key fingerprint', JSON.stringify({ ...base, kind: 'sim-seen', iccid: reg.iccid, imei: reg.imei, keySha256: 'ABC' })],
    ['fail/bad verdict', JSON.stringify({ ...base, kind: 'attestation', type: 'tpm', verdict: 'maybe' })],
  ])('%s', (_n, raw) => {
    expect(() => parseFactEvent(raw)).toThrow(MalformedEvent);
  });

  it.each([
    ['ok/two-digit MNC', '262011234567890', '262-01'],
    ['ok/three-digit MNC (US)', '310150123456789', '310-150'],
    ['ok/three-digit MNC (Canada)', '302720123456789', '302-720'],
  ])('%s', (_n, imsi, expected) => {
    expect(mccMnc(imsi)).toBe(expected);
  });

  it.each([
    ['ok/firmware version is stored with the class', { ...base, kind: 'firmware', firmwareVersion: '1.0.0' }, { 'firmware.version': '1.0.0', 'device.class': 'sensor' }],
    ['ok/SIM in another IMEI', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: '490154203237518', imsi: '310150123456789' }, { 'sim.imeiChanged': true, 'sim.mccMnc': '310-150' }],
    ['ok/SIM with another device key', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: reg.imei, keySha256: 'b'.repeat(64) }, { 'sim.keyChanged': true }],
    ['ok/a sighting from before the key was bound changes nothing', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: reg.imei, keySha256: 'b'.repeat(64), observedAt: '2026-11-24T09:00:00Z' }, { 'device.class': 'sensor' }],
    ['ok/same SIM same key changes nothing', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: reg.imei, keySha256: reg.keySha256 }, { 'device.class': 'sensor' }],
    ['ok/same SIM same IMEI changes nothing', { ...base, kind: 'sim-seen', iccid: reg.iccid, imei: reg.imei }, { 'device.class': 'sensor' }],
    ['ok/attestation age', { ...base, kind: 'attestation', type: 'tpm', verdict: 'pass' }, { 'attestation.verdict': 'pass', 'attestation.ageSeconds': 10 }],
    ['ok/behaviour counters', { ...base, kind: 'behaviour', counters: { authFailures: 3, newDestinations: 1 } }, { 'behaviour.authFailures': 3, 'behaviour.newDestinations': 1 }],
  ])('%s', (_n, e, expected) => {
    const facts = applyFactEvent({}, parseFactEvent(JSON.stringify(e)), reg, now);
    expect(facts).toMatchObject(expected);
    if (_n.includes('changes nothing')) expect([facts['sim.imeiChanged'], facts['sim.keyChanged']]).toEqual([undefined, undefined]);
  });
});
