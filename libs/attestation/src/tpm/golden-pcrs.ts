import { AttestationError, AttestationReason } from '../attestation.errors';
import { tpmHash, tpmHashByName } from './tpm-constants';
import type { PcrValues } from './pcr-values';
import type { PcrSelection } from './tpms-attest';

/** Reference measurements of one device class at one firmware version. */
export interface GoldenPcrs {
  deviceClass: string;
  firmwareVersion: string;
  /** PCR bank, e.g. `sha256`. */
  bank: string;
  /** PCR index → expected hex digest. */
  pcrs: Record<string, string>;
}

/** The golden values for a device, or a NO_GOLDEN_VALUES refusal: unknown states are denied. */
export function findGolden(golden: GoldenPcrs[], deviceClass: string, firmwareVersion: string | null): GoldenPcrs {
  const found = golden.find((g) => g.deviceClass === deviceClass && g.firmwareVersion === (firmwareVersion ?? ''));
  if (!found) throw new AttestationError(AttestationReason.NoGoldenValues, `no golden PCR values for device class "${deviceClass}" firmware "${firmwareVersion ?? '(none)'}"`);
  return found;
}

/**
 * Each golden PCR must be in the signed selection and equal the quoted value; the first that
 * differs is named (reason PCR_MISMATCH, details.pcr) so an operator sees what changed.
 */
export function compareWithGolden(golden: GoldenPcrs, selections: PcrSelection[], values: PcrValues): void {
  const alg = tpmHashByName(golden.bank);
  const bankName = tpmHash(alg).name;
  const quoted = new Set(selections.filter((s) => s.hashAlg === alg).flatMap((s) => s.pcrs));
  for (const [index, expected] of Object.entries(golden.pcrs).sort(([a], [b]) => Number(a) - Number(b))) {
    const pcr = Number(index);
    if (!quoted.has(pcr)) throw new AttestationError(AttestationReason.PcrMismatch, `PCR ${bankName}:${pcr} is not in the quote`, { pcr, bank: bankName });
    const actual = values.get(alg)!.get(pcr)!;
    if (actual.toString('hex') !== expected.toLowerCase()) {
      throw new AttestationError(AttestationReason.PcrMismatch, `PCR ${bankName}:${pcr} differs from the golden value: ${actual.toString('hex')} != ${expected.toLowerCase()}`, { pcr, bank: bankName });
    }
  }
}
