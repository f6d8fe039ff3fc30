import * as path from 'node:path';
import { CommonConfig, ConfigError, EnvReader } from '@iis/config';
import { GoldenPcrs, readGoldenPcrsFile } from '@iis/attestation';
import { TrustAnchors } from '@iis/pki';

/** What the attestation service trusts and how long things live; a bad value stops it at start. */
export interface AttestationSettings {
  challengeTtlSeconds: number;
  resultTtlSeconds: number;
  /** How long an expired result stays readable by operators before it is pruned. */
  resultRetentionSeconds: number;
  /** How often expired challenges and results are pruned. */
  pruneIntervalSeconds: number;
  /** TPM vendor CAs: an AK or EK certificate must chain to one of them. */
  tpmVendorCas: TrustAnchors;
  /** Manufacturer (IDevID) roots and their CRLs: the folder onboarding reads too. */
  manufacturerRoots: TrustAnchors;
  golden: GoldenPcrs[];
  /** PEM file of the ES256 key that signs results (made at first start). */
  resultKeyFile: string;
}

export const ATTESTATION_SETTINGS = Symbol('AttestationSettings');

export function loadAttestationSettings(config: CommonConfig, env: NodeJS.ProcessEnv = process.env): AttestationSettings {
  const r = new EnvReader(env);
  const dir = path.join(config.dataDir, 'attestation');
  const vendorDir = path.resolve(r.string('ATTESTATION_TPM_VENDOR_CAS_DIR', path.join(dir, 'tpm-vendor-cas')));
  const goldenFile = path.resolve(r.string('ATTESTATION_GOLDEN_PCRS_FILE', path.join(dir, 'golden-pcrs.json')));
  const rootsVariable = env.ATTESTATION_MANUFACTURER_ROOTS_DIR ? 'ATTESTATION_MANUFACTURER_ROOTS_DIR' : 'EST_MANUFACTURER_ROOTS_DIR';
  const rootsDir = path.resolve(r.string(rootsVariable, path.join(config.dataDir, 'manufacturer-roots')));
  let manufacturerRoots: TrustAnchors;
  try {
    manufacturerRoots = TrustAnchors.fromDir(rootsDir, 'manufacturer roots');
  } catch (e) {
    throw new ConfigError(rootsVariable, (e as Error).message);
  }
  let tpmVendorCas: TrustAnchors;
  let golden: GoldenPcrs[];
  try {
    tpmVendorCas = TrustAnchors.fromDir(vendorDir, 'TPM vendor CAs');
  } catch (e) {
    throw new ConfigError('ATTESTATION_TPM_VENDOR_CAS_DIR', (e as Error).message);
  }
  try {
    golden = readGoldenPcrsFile(goldenFile);
  } catch (e) {
    throw new ConfigError('ATTESTATION_GOLDEN_PCRS_FILE', (e as Error).message);
  }
  return {
    challengeTtlSeconds: r.int('ATTESTATION_CHALLENGE_TTL_SECONDS', 300, { min: 1, max: 3600 }),
    resultTtlSeconds: r.int('ATTESTATION_RESULT_TTL_SECONDS', 600, { min: 10, max: 86400 }),
    resultRetentionSeconds: r.int('ATTESTATION_RESULT_RETENTION_SECONDS', 7 * 86400, { min: 0, max: 366 * 86400 }),
    pruneIntervalSeconds: r.int('ATTESTATION_PRUNE_INTERVAL_SECONDS', 300, { min: 1, max: 86400 }),
    tpmVendorCas,
    manufacturerRoots,
    golden,
    resultKeyFile: path.join(dir, 'result-signing-key.pem'),
  };
}
