import { ErrorCode } from '@iis/contracts';
import { certificateStatus, encodeCursor, parseCertificateSearch } from './certificate-search.query';

describe('parseCertificateSearch', () => {
  it.each([
    ['ok/nothing: by serial, 100', {}, { order: 'serial', limit: 100 }],
    ['ok/device', { deviceId: '6f1c2a9e-0000-4000-8000-000000000001' }, { deviceId: '6f1c2a9e-0000-4000-8000-000000000001' }],
    ['ok/serial normalised', { serial: '00AB12' }, { serial: 'ab12' }],
    ['ok/serial keeps a whole first octet', { serial: 'A1B' }, { serial: '0a1b' }],
    ['ok/serial with a leading zero nibble', { serial: '0a1b' }, { serial: '0a1b' }],
    ['ok/expiry window orders by notAfter', { expiresBefore: '2026-12-01T00:00:00Z' }, { order: 'notAfter' }],
    ['ok/status', { status: 'revoked' }, { status: 'revoked' }],
    ['ok/a cursor it gave out', { cursor: encodeCursor('serial', { notAfter: new Date(0), serial: 'ab' }) }, { after: { serial: 'ab' } }],
    ['ok/a notAfter cursor', { expiresAfter: '2026-01-01', cursor: encodeCursor('notAfter', { notAfter: new Date(5), serial: 'cd' }) }, { after: { notAfter: new Date(5), serial: 'cd' } }],
  ])('%s', (_n, req, expected) => {
    expect(parseCertificateSearch(req as never)).toMatchObject(expected);
  });

  it.each([
    ['fail/sql in device', { deviceId: "x' OR 1=1 --" }],
    ['fail/sql in serial', { serial: "ab'; DROP TABLE ca_certificates; --" }],
    ['fail/iccid letters', { iccid: '8944abc' }],
    ['fail/unknown status', { status: 'all' }],
    ['fail/object as filter', { deviceId: { $gt: '' } }],
    ['fail/limit too big', { limit: 1001 }],
    ['fail/limit text', { limit: '10' }],
    ['fail/bad date', { expiresBefore: 'tomorrow' }],
    ['fail/empty window', { expiresAfter: '2026-12-01', expiresBefore: '2026-11-01' }],
    ['fail/garbage cursor', { cursor: 'bm9wZQ' }],
    ['fail/cursor from another order', { cursor: encodeCursor('notAfter', { notAfter: new Date(5), serial: 'cd' }) }],
    ['fail/cursor with sql', { cursor: Buffer.from(JSON.stringify(['s', "' OR 1=1"])).toString('base64url') }],
  ])('%s', async (_n, req) => {
    await expect(Promise.resolve().then(() => parseCertificateSearch(req as never))).rejects.toMatchObject({ code: ErrorCode.BadRequest });
  });

  it.each([
    ['ok/valid', { notAfter: new Date(2000), revokedAt: null }, 'valid'],
    ['ok/expired', { notAfter: new Date(1000), revokedAt: null }, 'expired'],
    ['ok/revoked wins', { notAfter: new Date(500), revokedAt: new Date(100) }, 'revoked'],
  ])('%s', (_n, c, status) => {
    expect(certificateStatus(c, new Date(1000))).toBe(status);
  });
});
