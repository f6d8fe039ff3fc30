import { RevocationEvent } from '@iis/contracts';

/** A valid version 1 event; times are relative to `now`, never a literal year. */
export function revocationEvent(now: Date, overrides: Partial<RevocationEvent> = {}): RevocationEvent {
  return {
    version: 1,
    logSequence: 1,
    serial: '5a1e0000000000000000000000000001',
    issuerId: 'issuing-5a1e00000001',
    reason: 'keyCompromise',
    revokedAt: now.toISOString(),
    notAfter: new Date(now.getTime() + 24 * 3600_000).toISOString(),
    deviceId: 'device-1',
    iccid: '8988211000000000001',
    cause: 'sim-lost: test',
    ...overrides,
  };
}
