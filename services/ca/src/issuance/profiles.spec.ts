import { ErrorCode } from '@iis/contracts';
import { BatchWriter } from '@iis/persistence';
import { checkKey, checkNames, checkTtl, PROFILES, profileNamed, validity } from './profiles';

const DAY = 86400;
const now = new Date(Date.UTC(2030, 5, 1, 12, 0, 0, 500));

describe('profiles', () => {
  it.each([
    ['ok/device 24 h', 'device', DAY],
    ['ok/device 5 min', 'device', 300],
    ['ok/device 30 days', 'device', 30 * DAY],
    ['ok/server 90 days', 'server', 90 * DAY],
    ['ok/operator 8 h', 'operator', 8 * 3600],
    ['ok/revocation signer 24 h', 'rev-signer', DAY],
  ])('%s', (_n, profile, ttl) => {
    expect(checkTtl(profileNamed(profile), ttl, 365 * DAY)).toBe(ttl);
  });

  it.each([
    ['fail/device below 5 min', 'device', 299, 365 * DAY],
    ['fail/device above 30 days', 'device', 30 * DAY + 1, 365 * DAY],
    ['fail/operator above 12 h', 'operator', 13 * 3600, 365 * DAY],
    ['fail/revocation signer above 7 days', 'rev-signer', 7 * DAY + 1, 365 * DAY],
    ['fail/not an integer', 'device', 3600.5, 365 * DAY],
    ['fail/a string', 'device', '3600', 365 * DAY],
    ['fail/above the deployment cap', 'server', 60 * DAY, 30 * DAY],
  ])('%s', (_n, profile, ttl, cap) => {
    expect(() => checkTtl(profileNamed(profile), ttl, cap)).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });

  it.each([['fail/unknown profile', 'root'], ['fail/not a string', 7], ['fail/prototype key', 'toString']])('%s', (_n, name) => {
    expect(() => profileNamed(name)).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });

  it.each([
    ['ok/device P-256', 'device', 'P-256'],
    ['ok/device Ed25519', 'device', 'Ed25519'],
    ['ok/server RSA-3072', 'server', 'RSA-3072'],
    ['ok/revocation signer RSA-2048 (the default, PS256)', 'rev-signer', 'RSA-2048'],
    ['ok/revocation signer RSA-3072', 'rev-signer', 'RSA-3072'],
    ['ok/revocation signer P-256 (ES256)', 'rev-signer', 'P-256'],
  ])('%s', (_n, profile, key) => expect(() => checkKey(profileNamed(profile), key)).not.toThrow());

  it.each([
    ['fail/device P-521', 'device', 'P-521'],
    ['fail/server Ed25519', 'server', 'Ed25519'],
    ['fail/device RSA-1024', 'device', 'RSA-1024'],
    ['fail/operator RSA-8192', 'operator', 'RSA-8192'],
    ['fail/revocation signer RSA-1024', 'rev-signer', 'RSA-1024'],
    ['fail/revocation signer RSA-4096 (agents verify every event: no larger key than needed)', 'rev-signer', 'RSA-4096'],
    ['fail/revocation signer P-384', 'rev-signer', 'P-384'],
    ['fail/revocation signer Ed25519', 'rev-signer', 'Ed25519'],
  ])('%s', (_n, profile, key) => {
    expect(() => checkKey(profileNamed(profile), key)).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr }));
  });

  it.each([
    ['ok/server DNS and IPs', 'server', { dnsNames: ['gw.example.com'], ipAddresses: ['10.0.0.1', '2001:db8::1'] }],
    ['ok/device without names', 'device', {}],
  ])('%s', (_n, profile, names) => expect(() => checkNames(profileNamed(profile), names)).not.toThrow());

  it.each([
    ['fail/device with a DNS name', 'device', { dnsNames: ['x.example'] }],
    ['fail/server with no name', 'server', {}],
    ['fail/server with a bad DNS name', 'server', { dnsNames: ['bad_name..example'] }],
    ['fail/server with a wildcard', 'server', { dnsNames: ['*.example.com'] }],
    ['fail/server with a bad IP', 'server', { ipAddresses: ['300.1.1.1'] }],
    ['fail/names not an array', 'server', { dnsNames: 'gw.example.com' }],
  ])('%s', (_n, profile, names) => {
    expect(() => checkNames(profileNamed(profile), names)).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });

  it('ok/notBefore is backdated, whole seconds, and notAfter never passes the issuer', () => {
    const v = validity(now, DAY, 60, new Date(Date.UTC(2031, 0, 1)));
    expect(v.notBefore.toISOString()).toBe('2030-06-01T11:59:00.000Z');
    expect(v.notAfter.toISOString()).toBe('2030-06-02T12:00:00.000Z');
    const capped = validity(now, DAY, 60, new Date(Date.UTC(2030, 5, 1, 18)));
    expect(capped.notAfter.toISOString()).toBe('2030-06-01T18:00:00.000Z');
  });

  it('ok/every profile default lies within its bounds', () => {
    for (const p of Object.values(PROFILES)) expect(checkTtl(p, p.defaultTtlSeconds, 365 * DAY)).toBe(p.defaultTtlSeconds);
  });
});

describe('BatchWriter', () => {
  it('ok/rows arriving together go in one write; every caller waits for it', async () => {
    const writes: number[][] = [];
    const w = new BatchWriter<number>(async (rows) => {
      writes.push(rows);
    }, 3);
    await Promise.all([1, 2, 3, 4, 5].map((n) => w.add(n)));
    expect(writes.flat().sort()).toEqual([1, 2, 3, 4, 5]);
    expect(writes.length).toBeLessThanOrEqual(2);
  });

  it('fail/a failed write rejects every caller of that batch', async () => {
    const w = new BatchWriter<number>(async () => {
      throw Object.assign(new Error('disk full'), { code: 'X' });
    });
    await expect(Promise.all([w.add(1), w.add(2)])).rejects.toMatchObject({ code: 'X' });
  });
});
