import type { SimEvidence, SimView } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';

/** Shapes only (ITU-T E.118 ICCID, E.212 IMSI, 3GPP TS 23.003 IMEI/IMEISV); the registry holds the truth. */
export function simClaims(v: unknown): SimEvidence {
  const s = v as Partial<SimEvidence> | undefined;
  if (!s || typeof s !== 'object' || typeof s.iccid !== 'string' || !/^\d{18,22}$/.test(s.iccid) || typeof s.imsi !== 'string' || !/^\d{14,15}$/.test(s.imsi) || typeof s.imei !== 'string' || !/^\d{14,16}$/.test(s.imei)) {
    throw new AttestationError(AttestationReason.BadEvidence, 'sim evidence needs iccid (18-22 digits), imsi (14-15 digits) and imei (14-16 digits)');
  }
  const keyFields = (['publicKey', 'keySignature'] as const).filter((k) => s[k] !== undefined);
  return { iccid: s.iccid, imsi: s.imsi, imei: s.imei, ...Object.fromEntries(keyFields.map((k) => [k, s[k]])) };
}

/**
 * The SIM a device reports against the SIM bound to it in the registry. A lost, suspended or
 * retired SIM fails; an ICCID that is not the bound one (bound elsewhere or unknown) is a
 * possible SIM swap; the bound ICCID with another IMSI or IMEI is a possible clone or SIM swap.
 * `elsewhere` is the registry's record of the claimed ICCID when it is not the bound one.
 * `keySha256` is the device key the evidence proved (null: none): once a key is bound to the
 * SIM, another key, or none, is a possible clone or SIM swap too.
 */
export function checkSimBinding(claims: SimEvidence, bound: SimView | null, elsewhere: SimView | null, keySha256: string | null = null): void {
  if (!bound) throw new AttestationError(AttestationReason.SimUnknown, 'the device has no SIM in the registry');
  if (claims.iccid !== bound.iccid) {
    const where = elsewhere ? (elsewhere.deviceId ? 'is bound to another device' : 'is bound to no device') : 'is not in the registry';
    throw new AttestationError(AttestationReason.SimMismatch, `possible SIM swap: ICCID ${claims.iccid} ${where}, the device's SIM is ${bound.iccid}`, { iccid: claims.iccid });
  }
  if (bound.status === 'lost') throw new AttestationError(AttestationReason.SimLost, `SIM ${bound.iccid} is reported lost`, { iccid: bound.iccid });
  if (bound.status !== 'active') throw new AttestationError(AttestationReason.SimSuspended, `SIM ${bound.iccid} is ${bound.status}`, { iccid: bound.iccid });
  if (claims.imsi !== bound.imsi) throw new AttestationError(AttestationReason.SimMismatch, `possible clone: ICCID ${bound.iccid} reports IMSI ${claims.imsi}, registered ${bound.imsi}`, { iccid: bound.iccid });
  if (claims.imei !== bound.imei) throw new AttestationError(AttestationReason.SimMismatch, `possible clone or SIM swap: ICCID ${bound.iccid} seen in IMEI ${claims.imei}, bound to ${bound.imei}`, { iccid: bound.iccid });
  if (bound.keySha256 && !keySha256) throw new AttestationError(AttestationReason.SimMismatch, `possible clone: SIM ${bound.iccid} is bound to a device key and the evidence proves none (sim.publicKey, sim.keySignature)`, { iccid: bound.iccid });
  if (bound.keySha256 && keySha256 !== bound.keySha256) {
    throw new AttestationError(AttestationReason.SimMismatch, `possible clone or SIM swap: ICCID ${bound.iccid} seen with key sha256:${keySha256!.slice(0, 16)}…, bound to sha256:${bound.keySha256.slice(0, 16)}…`, { iccid: bound.iccid });
  }
}
