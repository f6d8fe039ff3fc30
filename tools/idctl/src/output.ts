import type { CertificateSummary, CreateSecretReply, DeviceView, ReportSimLostReply, ResumeSimReply, SimView, SuspendSimReply } from '@iis/contracts';

/**
 * Human output: short lines, a label padded to 8 columns, then `key=value` pairs.
 * Every value that came from the server or the user goes through `clean`, so a stored
 * string cannot move the cursor or recolour the operator's terminal.
 * Machine output (`--json`) is the API's own JSON, unchanged.
 */

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function lines(...rows: string[]): string {
  return rows.map((row) => `${row}\n`).join('');
}

/** C0 and C1 control characters (ESC, CR, BS…) become '?'. */
export function clean(value: string | null | undefined, absent = '-'): string {
  if (value === null || value === undefined || value === '') return absent;
  return value.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

function row(label: string, ...fields: string[]): string {
  return label.padEnd(8) + fields.join('  ');
}

export function deviceLine(d: DeviceView): string {
  return row('device', clean(d.serial), `id=${clean(d.id)}`, `status=${clean(d.status)}`);
}

export function simLine(s: SimView, extra: { status?: boolean; device?: boolean } = {}): string {
  const fields = [clean(s.iccid), `imsi=${clean(s.imsi)} imei=${clean(s.imei)}`];
  if (extra.status) fields.push(`status=${clean(s.status)}`);
  if (extra.device) fields.push(`device=${clean(s.deviceId, 'none')}`);
  if (extra.status && s.lostAt) fields.push(`lost=${clean(s.lostAt)}`);
  return row('sim', ...fields);
}

export function secretLine(s: CreateSecretReply): string {
  return row('secret', clean(s.secret), `(one-time, expires ${clean(s.expiresAt)}; shown only once)`);
}

/** `device add`: the device, its SIM, and the secret when one was made. */
export function formatDeviceAdded(device: DeviceView, secret: CreateSecretReply | null): string {
  const out = [deviceLine(device)];
  if (device.sim) out.push(simLine(device.sim));
  if (secret) out.push(secretLine(secret));
  return lines(...out);
}

/** `device show` */
export function formatDevice(d: DeviceView): string {
  return lines(
    deviceLine(d),
    row('class', clean(d.deviceClass), `created=${clean(d.createdAt)}`),
    d.sim ? simLine(d.sim, { status: true }) : row('sim', 'none bound'),
  );
}

/** `secret create` */
export function formatSecret(s: CreateSecretReply): string {
  return lines(row('device', clean(s.serial)), secretLine(s));
}

/** `sim show` */
export function formatSim(s: SimView): string {
  return lines(simLine(s, { status: true, device: true }));
}

/** `sim report-lost`: the SIM's status, its device, each certificate revoked now. */
export function formatReportLost(r: ReportSimLostReply): string {
  const out = [row('sim', clean(r.iccid), `status=${clean(r.simStatus)}`), row('device', clean(r.deviceId, 'none bound'))];
  for (const c of r.revoked) {
    out.push(row('revoked', clean(c.serial), `issuer=${clean(c.issuerId)}`, `seq=${c.sequence}`));
  }
  if (r.alreadyLost) out.push('already reported lost; nothing changed');
  else if (r.revoked.length === 0) out.push(row('revoked', 'none (no live certificates)'));
  return lines(...out);
}

/** `sim suspend`: the SIM's status, its device, each certificate put on hold now. */
export function formatSuspend(r: SuspendSimReply): string {
  const out = [row('sim', clean(r.iccid), `status=${clean(r.simStatus)}`), row('device', clean(r.deviceId, 'none bound'))];
  for (const c of r.held) out.push(row('on hold', clean(c.serial), `issuer=${clean(c.issuerId)}`, `seq=${c.sequence}`));
  if (r.alreadySuspended && r.held.length === 0) out.push('already suspended; nothing changed');
  else if (r.held.length === 0) out.push(row('on hold', 'none (no live certificates)'));
  return lines(...out);
}

/** `sim resume`: the SIM's status and each certificate whose hold ended now. */
export function formatResume(r: ResumeSimReply): string {
  const out = [row('sim', clean(r.iccid), `status=${clean(r.simStatus)}`)];
  for (const c of r.released) out.push(row('resumed', clean(c.serial), `issuer=${clean(c.issuerId)}`, `seq=${c.sequence}`));
  if (r.released.length === 0) out.push(row('resumed', 'none (no certificate on hold)'));
  return lines(...out);
}

/** `cert list`: one aligned row per certificate; state is judged against `now`. */
export function formatCertificates(certs: CertificateSummary[], now: Date): string {
  if (certs.length === 0) return lines('no certificates');
  const header = ['SERIAL', 'ISSUER', 'DEVICE', 'ICCID', 'NOT-AFTER', 'STATE'];
  const rows = certs.map((c) => [
    clean(c.serial),
    clean(c.issuerId),
    clean(c.deviceId),
    clean(c.iccid),
    clean(c.notAfter),
    certificateState(c, now),
  ]);
  return table([header, ...rows]);
}

export function certificateState(c: CertificateSummary, now: Date): string {
  if (c.revokedAt) return `revoked ${clean(c.revokedAt)}`;
  return Date.parse(c.notAfter) <= now.getTime() ? 'expired' : 'valid';
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return lines(...rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')));
}
