import type { CertificateSummary, CreateSecretReply, DeviceView, ReportSimLostReply, SimView } from '@iis/contracts';

/** Canned API answers for idctl's specs. Times are relative to the `now` given. Used by specs only. */
export function fixtures(now: Date) {
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const sim: SimView = {
    iccid: '8944100000000000001',
    imsi: '234100000000001',
    imei: '490154203237518',
    status: 'active',
    deviceId: 'dev-1',
    lostAt: null,
  };
  const device: DeviceView = {
    id: 'dev-1',
    serial: 'SN-0001',
    deviceClass: 'gateway',
    status: 'pending',
    createdAt: at(-60),
    sim,
  };
  const secret: CreateSecretReply = { serial: 'SN-0001', secret: 'est-7Hq2-secret', expiresAt: at(7 * 86400) };
  const lost: ReportSimLostReply = {
    iccid: sim.iccid,
    deviceId: 'dev-1',
    simStatus: 'lost',
    alreadyLost: false,
    revoked: [
      { serial: '0a1b2c', issuerId: 'issuing-1', sequence: 41 },
      { serial: '0a1b2d', issuerId: 'issuing-1', sequence: 42 },
    ],
  };
  const certificates: CertificateSummary[] = [
    { serial: '0a1b2c', issuerId: 'issuing-1', deviceId: 'dev-1', iccid: sim.iccid, notBefore: at(-3600), notAfter: at(3600), revokedAt: null },
    { serial: '0a1b2d', issuerId: 'issuing-1', deviceId: 'dev-1', iccid: sim.iccid, notBefore: at(-7200), notAfter: at(-60), revokedAt: null },
    { serial: '0a1b2e', issuerId: 'issuing-1', deviceId: 'dev-1', iccid: null, notBefore: at(-600), notAfter: at(3600), revokedAt: at(-30) },
  ];
  return { at, sim, device, secret, lost, certificates };
}
