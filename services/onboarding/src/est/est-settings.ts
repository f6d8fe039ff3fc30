import * as path from 'node:path';
import { EnvReader } from '@iis/config';

/** EST settings that only onboarding reads; a bad value stops the service at start. */
export interface EstSettings {
  /** Enrollment attempts a minute per device serial (0 = unlimited). */
  ratePerDevicePerMinute: number;
  /** Requests a minute per source address (0 = unlimited). */
  ratePerAddressPerMinute: number;
  /** Folder of PEM files: the manufacturer (IDevID) roots a client certificate may chain to. */
  manufacturerRootsDir: string;
  /** Retry-After of a 202 (pending operator approval). */
  pendingRetryAfterSeconds: number;
  /** Device classes whose first enrollment needs a verified attestation result. */
  attestationRequiredClasses: string[];
}

export const EST_SETTINGS = Symbol('EstSettings');

export function loadEstSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): EstSettings {
  const r = new EnvReader(env);
  return {
    ratePerDevicePerMinute: r.int('EST_RATE_PER_DEVICE_PER_MINUTE', 10, { min: 0 }),
    ratePerAddressPerMinute: r.int('EST_RATE_PER_ADDRESS_PER_MINUTE', 6000, { min: 0 }),
    manufacturerRootsDir: path.resolve(r.string('EST_MANUFACTURER_ROOTS_DIR', path.join(dataDir, 'manufacturer-roots'))),
    pendingRetryAfterSeconds: r.int('EST_PENDING_RETRY_AFTER_SECONDS', 60, { min: 1, max: 86400 }),
    attestationRequiredClasses: r.string('EST_ATTESTATION_REQUIRED_CLASSES', '').split(',').map((c) => c.trim()).filter(Boolean),
  };
}
