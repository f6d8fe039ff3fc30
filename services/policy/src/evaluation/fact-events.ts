import type { FactEvent, FactScalar } from '@iis/contracts';
import { valid } from 'semver';

const UUIDISH = /^[A-Za-z0-9-]{1,36}$/;
const COUNTERS = ['authFailures', 'reenrollments', 'concurrentAddresses', 'iccidChanges', 'imeiChanges', 'newDestinations'] as const;

export class MalformedEvent extends Error {}

/** Parses one message of the facts stream; anything missing or malformed throws MalformedEvent. */
export function parseFactEvent(data: Uint8Array | string): FactEvent {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new MalformedEvent('not JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MalformedEvent('not an object');
  if (v.version !== 1) throw new MalformedEvent('version must be 1');
  if (typeof v.eventId !== 'string' || !v.eventId || v.eventId.length > 100) throw new MalformedEvent('eventId missing');
  if (typeof v.deviceId !== 'string' || !UUIDISH.test(v.deviceId)) throw new MalformedEvent('deviceId missing or malformed');
  if (typeof v.observedAt !== 'string' || Number.isNaN(Date.parse(v.observedAt))) throw new MalformedEvent('observedAt must be an ISO 8601 time');
  if (typeof v.source !== 'string' || !v.source || v.source.length > 200) throw new MalformedEvent('source missing');
  switch (v.kind) {
    case 'behaviour': {
      const c = v.counters as Record<string, unknown> | undefined;
      if (!c || typeof c !== 'object' || Array.isArray(c)) throw new MalformedEvent('counters missing');
      const keys = Object.keys(c);
      if (keys.length === 0) throw new MalformedEvent('counters empty');
      for (const k of keys) {
        if (!(COUNTERS as readonly string[]).includes(k)) throw new MalformedEvent(`unknown counter ${k}`);
        const n = c[k];
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1e9) throw new MalformedEvent(`counter ${k} must be a non-negative integer`);
      }
      break;
    }
    case 'attestation':
      if (!['secret', 'idevid', 'tpm', 'sim'].includes(v.type as string)) throw new MalformedEvent('attestation type must be secret, idevid, tpm or sim');
      if (v.verdict !== 'pass' && v.verdict !== 'fail') throw new MalformedEvent('verdict must be pass or fail');
      break;
    case 'firmware':
      if (typeof v.firmwareVersion !== 'string' || !valid(v.firmwareVersion)) throw new MalformedEvent('firmwareVersion must be a semantic version');
      break;
    case 'sim-seen':
      if (typeof v.iccid !== 'string' || !/^\d{18,22}$/.test(v.iccid)) throw new MalformedEvent('iccid must be 18 to 22 digits');
      if (typeof v.imei !== 'string' || !/^\d{14,16}$/.test(v.imei)) throw new MalformedEvent('imei must be 14 to 16 digits');
      if (v.imsi !== undefined && (typeof v.imsi !== 'string' || !/^\d{6,15}$/.test(v.imsi))) throw new MalformedEvent('imsi must be 6 to 15 digits');
      if (v.servingCountry !== undefined && (typeof v.servingCountry !== 'string' || !/^[A-Z]{2}$/.test(v.servingCountry))) throw new MalformedEvent('servingCountry must be ISO 3166 alpha-2');
      if (v.keySha256 !== undefined && (typeof v.keySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.keySha256))) throw new MalformedEvent('keySha256 must be 64 lowercase hex digits');
      break;
    default:
      throw new MalformedEvent('kind must be behaviour, attestation, firmware or sim-seen');
  }
  return v as unknown as FactEvent;
}

/** What the registry says about the device, for comparing sightings. */
export interface RegisteredIdentity {
  deviceClass: string;
  iccid: string | null;
  imei: string | null;
  imsi: string | null;
  /** SHA-256 of the SPKI of the device key bound to the SIM (null: none yet). */
  keySha256?: string | null;
  /** When it was bound: a sighting observed before that is not judged against it. */
  keyBoundAt?: string | null;
}

/** Folds one event into the facts the engine keeps for a device. Pure. */
export function applyFactEvent(facts: Record<string, FactScalar>, e: FactEvent, registered: RegisteredIdentity | null, now: Date): Record<string, FactScalar> {
  const next = { ...facts };
  if (registered) next['device.class'] = registered.deviceClass;
  // The registered IMSI's home network until a sighting reports the SIM actually in use.
  if (registered?.imsi && next['sim.mccMnc'] === undefined) next['sim.mccMnc'] = mccMnc(registered.imsi);
  switch (e.kind) {
    case 'behaviour':
      for (const [k, n] of Object.entries(e.counters)) next[`behaviour.${k}`] = n as number;
      break;
    case 'attestation':
      next['attestation.type'] = e.type;
      next['attestation.verdict'] = e.verdict;
      next['attestation.observedAt'] = e.observedAt;
      break;
    case 'firmware':
      next['firmware.version'] = e.firmwareVersion;
      break;
    case 'sim-seen':
      if (registered?.iccid && e.iccid === registered.iccid && registered.imei && e.imei !== registered.imei) next['sim.imeiChanged'] = true;
      if (registered?.iccid && e.iccid !== registered.iccid) next['sim.iccidChanged'] = true;
      if (registered?.iccid && e.iccid === registered.iccid && registered.keySha256 && e.keySha256 && e.keySha256 !== registered.keySha256 && !(registered.keyBoundAt && Date.parse(e.observedAt) < Date.parse(registered.keyBoundAt))) {
        next['sim.keyChanged'] = true;
      }
      if (e.imsi) next['sim.mccMnc'] = mccMnc(e.imsi);
      if (e.servingCountry) next['network.servingCountry'] = e.servingCountry;
      break;
  }
  return withAges(next, now);
}

/** MCCs whose networks use three-digit MNCs (North America, parts of Latin America and the Caribbean). */
const THREE_DIGIT_MNC = new Set(['302', '310', '311', '312', '313', '314', '315', '316', '334', '338', '342', '344', '346', '348', '354', '356', '358', '360', '365', '376', '708', '722', '732']);

/** IMSI home network as "MCC-MNC" (ITU-T E.212): `262011234567890` → `262-01`, `310150123456789` → `310-150`. */
export function mccMnc(imsi: string): string {
  const mcc = imsi.slice(0, 3);
  return `${mcc}-${imsi.slice(3, THREE_DIGIT_MNC.has(mcc) ? 6 : 5)}`;
}

/** Whole seconds from the instant `at` (ISO 8601) to `now`; never negative. */
export function ageSeconds(at: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 1000));
}

/** Ages are derived at evaluation time from stored instants. */
export function withAges(facts: Record<string, FactScalar>, now: Date): Record<string, FactScalar> {
  const at = facts['attestation.observedAt'];
  if (typeof at === 'string') facts['attestation.ageSeconds'] = ageSeconds(at, now);
  return facts;
}
