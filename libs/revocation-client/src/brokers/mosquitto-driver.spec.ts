import type { RevocationEvent } from '@iis/contracts';
import { AdminConnection, MosquittoDriver } from './mosquitto-driver';

// The fakes stand in for Mosquitto's process and its dynsec endpoint; the e2e test
// test/mosquitto-revocation.e2e-spec.ts runs the same driver against a real Mosquitto.
function setup(opts: { admin?: boolean; pid?: string } = {}) {
  const calls: string[] = [];
  const published: string[] = [];
  const conn: AdminConnection = {
    publishAsync: async (_t, m) => {
      published.push(m);
      calls.push('publish');
    },
    endAsync: async () => undefined,
  };
  const driver = new MosquittoDriver(
    { pidFile: '/run/mosquitto.pid', admin: opts.admin === false ? undefined : { url: 'mqtt://127.0.0.1:1', username: 'admin', password: 'x' } },
    (l) => calls.push(`log:${l}`),
    {
      signal: (pid, sig) => calls.push(`signal:${pid}:${sig}`),
      readPidFile: () => opts.pid ?? '4242\n',
      connectAdmin: async () => conn,
    },
  );
  return { driver, calls, published };
}

const event = (serial: string, cn: string | null, issuerId = 'issuing-1'): RevocationEvent => ({
  version: 1, logSequence: 1, serial, issuerId, reason: 'keyCompromise', revokedAt: '2026-01-01T00:00:00.000Z',
  notAfter: '2026-01-02T00:00:00.000Z', deviceId: 'd', iccid: null, cause: 'test', subjectCommonName: cn,
});

describe('MosquittoDriver', () => {
  it('ok/reloads the CRL before it cuts the session', async () => {
    const { driver, calls, published } = setup();
    driver.revoked(event('0a', 'SN-1'), 5);
    await driver.crlWritten('issuing-1', 5);
    const order = calls.filter((c) => c.startsWith('signal') || c === 'publish');
    expect(order).toEqual(['signal:4242:SIGHUP', 'publish']);
    expect(JSON.parse(published[0]).commands).toEqual([
      { command: 'createClient', username: 'SN-1' },
      { command: 'disableClient', username: 'SN-1' },
    ]);
  });

  it('ok/a CRL that does not yet cover the revocation cuts nothing', async () => {
    const { driver, published } = setup();
    driver.revoked(event('0a', 'SN-1'), 9);
    await driver.crlWritten('issuing-1', 8);
    expect(published).toHaveLength(0);
    await driver.crlWritten('issuing-1', 9);
    expect(published).toHaveLength(1);
  });

  it('ok/another issuer\'s CRL cuts nothing', async () => {
    const { driver, published } = setup();
    driver.revoked(event('0a', 'SN-1', 'issuing-2'), 3);
    await driver.crlWritten('issuing-1', 10);
    expect(published).toHaveLength(0);
  });

  it('fail/an event without a CN is logged, not cut', async () => {
    const { driver, calls, published } = setup();
    driver.revoked(event('0a', null), 1);
    await driver.crlWritten('issuing-1', 1);
    expect(published).toHaveLength(0);
    expect(calls.some((c) => c.includes('names no subject CN'))).toBe(true);
  });

  it('fail/a broken pid file is logged and does not stop the cut', async () => {
    const { driver, calls, published } = setup({ pid: 'garbage' });
    driver.revoked(event('0a', 'SN-1'), 1);
    await driver.crlWritten('issuing-1', 1);
    expect(calls.some((c) => c.includes('holds no pid'))).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('ok/without an admin endpoint only the CRL is reloaded', async () => {
    const { driver, calls, published } = setup({ admin: false });
    driver.revoked(event('0a', 'SN-1'), 1);
    await driver.crlWritten('issuing-1', 1);
    expect(calls).toContain('signal:4242:SIGHUP');
    expect(published).toHaveLength(0);
  });
});
