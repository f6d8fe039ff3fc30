import { certificateState, clean, formatCertificates, formatDevice, formatDeviceAdded, formatReportLost, formatResume, formatSecret, formatSim, formatSuspend, json } from './output';
import { fixtures } from './testing/fixtures';

describe('output', () => {
  const now = new Date();
  const f = fixtures(now);

  it('device add: device, sim and secret lines, with the one-time hint', () => {
    expect(formatDeviceAdded(f.device, f.secret)).toBe(
      [
        'device  SN-0001  id=dev-1  status=pending',
        'sim     8944100000000000001  imsi=234100000000001 imei=490154203237518',
        `secret  est-7Hq2-secret  (one-time, expires ${f.secret.expiresAt}; shown only once)`,
        '',
      ].join('\n'),
    );
  });

  it('device add --no-secret: no secret line', () => {
    expect(formatDeviceAdded(f.device, null)).not.toContain('secret');
  });

  it('device show: class, creation time and the SIM with its status', () => {
    expect(formatDevice(f.device)).toBe(
      [
        'device  SN-0001  id=dev-1  status=pending',
        `class   gateway  created=${f.device.createdAt}`,
        'sim     8944100000000000001  imsi=234100000000001 imei=490154203237518  status=active',
        '',
      ].join('\n'),
    );
    expect(formatDevice({ ...f.device, sim: null })).toContain('sim     none bound\n');
  });

  it('secret create', () => {
    expect(formatSecret(f.secret)).toBe(
      `device  SN-0001\nsecret  est-7Hq2-secret  (one-time, expires ${f.secret.expiresAt}; shown only once)\n`,
    );
  });

  it('sim show: status, device and when it was lost', () => {
    expect(formatSim(f.sim)).toBe('sim     8944100000000000001  imsi=234100000000001 imei=490154203237518  status=active  device=dev-1\n');
    const lostAt = f.at(-300);
    expect(formatSim({ ...f.sim, status: 'lost', deviceId: null, lostAt })).toBe(
      `sim     8944100000000000001  imsi=234100000000001 imei=490154203237518  status=lost  device=none  lost=${lostAt}\n`,
    );
  });

  it('sim report-lost: status, device, each revoked serial', () => {
    expect(formatReportLost(f.lost)).toBe(
      [
        'sim     8944100000000000001  status=lost',
        'device  dev-1',
        'revoked 0a1b2c  issuer=issuing-1  seq=41',
        'revoked 0a1b2d  issuer=issuing-1  seq=42',
        '',
      ].join('\n'),
    );
  });

  it('sim suspend: each certificate on hold; again: nothing changed', () => {
    const held = [{ serial: '0a1b2c', issuerId: 'issuing-1', sequence: 43 }];
    expect(formatSuspend({ iccid: '8944100000000000001', deviceId: 'dev-1', simStatus: 'suspended', alreadySuspended: false, held })).toBe(
      ['sim     8944100000000000001  status=suspended', 'device  dev-1', 'on hold 0a1b2c  issuer=issuing-1  seq=43', ''].join('\n'),
    );
    expect(formatSuspend({ iccid: '8944100000000000001', deviceId: null, simStatus: 'suspended', alreadySuspended: true, held: [] })).toContain('already suspended; nothing changed');
  });

  it('sim resume: each certificate released', () => {
    expect(formatResume({ iccid: '8944100000000000001', simStatus: 'active', released: [{ serial: '0a1b2c', issuerId: 'issuing-1', sequence: 44 }] })).toBe(
      ['sim     8944100000000000001  status=active', 'resumed 0a1b2c  issuer=issuing-1  seq=44', ''].join('\n'),
    );
  });

  it('sim report-lost again: says nothing changed', () => {
    expect(formatReportLost({ ...f.lost, alreadyLost: true, revoked: [] })).toBe(
      ['sim     8944100000000000001  status=lost', 'device  dev-1', 'already reported lost; nothing changed', ''].join('\n'),
    );
  });

  it('sim report-lost with no device and nothing to revoke', () => {
    expect(formatReportLost({ ...f.lost, deviceId: null, revoked: [] })).toBe(
      ['sim     8944100000000000001  status=lost', 'device  none bound', 'revoked none (no live certificates)', ''].join('\n'),
    );
  });

  it('cert list: an aligned table whose state is judged against the injected clock', () => {
    const out = formatCertificates(f.certificates, now).split('\n');
    expect(out[0]).toMatch(/^SERIAL +ISSUER +DEVICE +ICCID +NOT-AFTER +STATE$/);
    expect(out.slice(1, 4).map((l) => l.split(/ {2,}/))).toEqual([
      ['0a1b2c', 'issuing-1', 'dev-1', f.sim.iccid, f.certificates[0].notAfter, 'valid'],
      ['0a1b2d', 'issuing-1', 'dev-1', f.sim.iccid, f.certificates[1].notAfter, 'expired'],
      ['0a1b2e', 'issuing-1', 'dev-1', '-', f.certificates[2].notAfter, `revoked ${f.certificates[2].revokedAt}`],
    ]);
    const issuerColumn = out[0].indexOf('ISSUER');
    expect(out.slice(1, 4).map((l) => l.indexOf('issuing-1'))).toEqual([issuerColumn, issuerColumn, issuerColumn]);
    expect(formatCertificates([], now)).toBe('no certificates\n');
  });

  it.each([
    ['valid/before-notAfter', { notAfter: f.at(1), revokedAt: null }, 'valid'],
    ['expired/at-notAfter', { notAfter: f.at(0), revokedAt: null }, 'expired'],
    ['revoked/wins-over-expired', { notAfter: f.at(-1), revokedAt: f.at(-10) }, `revoked ${f.at(-10)}`],
  ])('certificateState %s', (_name, patch, expected) => {
    expect(certificateState({ ...f.certificates[0], ...patch }, now)).toBe(expected);
  });

  it('clean: a stored string cannot drive the terminal', () => {
    expect(clean('SN\x1b[2J\r\x07\x9b1')).toBe('SN?[2J???1');
    expect(clean(null)).toBe('-');
    expect(clean('', 'none')).toBe('none');
    expect(formatDevice({ ...f.device, deviceClass: 'x\x1b]0;pwned\x07' })).toContain('class   x?]0;pwned?');
  });

  it('json: the value as is, indented, one trailing newline', () => {
    expect(JSON.parse(json(f.device))).toEqual(f.device);
    expect(json({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});
