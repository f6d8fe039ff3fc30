import { createHash } from 'node:crypto';
import { AttestationError, AttestationReason } from '../attestation.errors';
import { tpmHash, tpmHashByName } from './tpm-constants';
import type { PcrSelection } from './tpms-attest';

/** PCR values as a device reports them: bank name → PCR index → hex digest. */
export type PcrValuesJson = Record<string, Record<string, string>>;
/** Parsed: TPM_ALG_ID of the bank → PCR index → digest. */
export type PcrValues = Map<number, Map<number, Buffer>>;

export function parsePcrValues(json: PcrValuesJson): PcrValues {
  const out: PcrValues = new Map();
  if (!json || typeof json !== 'object') throw new AttestationError(AttestationReason.BadEvidence, 'pcrs must be { bank: { index: hex } }');
  for (const [bank, values] of Object.entries(json)) {
    const alg = tpmHashByName(bank);
    const size = tpmHash(alg).size;
    const m = new Map<number, Buffer>();
    for (const [index, hex] of Object.entries(values ?? {})) {
      const i = Number(index);
      if (!Number.isInteger(i) || i < 0 || i > 23 || typeof hex !== 'string' || !/^[0-9a-f]*$/i.test(hex) || hex.length !== size * 2) {
        throw new AttestationError(AttestationReason.BadEvidence, `PCR ${bank}:${index} must be ${size} bytes of hex`);
      }
      m.set(i, Buffer.from(hex, 'hex'));
    }
    out.set(alg, m);
  }
  return out;
}

/**
 * TPM 2.0 Part 3 §18.4 (TPM2_Quote): pcrDigest = H_sign(PCR values concatenated in the order
 * of the selection: banks as listed, PCRs by ascending index). Every selected PCR must be
 * supplied; the caller compares the result with the quote's pcrDigest.
 */
export function pcrDigest(selections: PcrSelection[], values: PcrValues, signHashAlg: number): Buffer {
  const h = createHash(tpmHash(signHashAlg).name);
  for (const sel of selections) {
    const bank = values.get(sel.hashAlg);
    for (const pcr of sel.pcrs) {
      const v = bank?.get(pcr);
      if (!v) throw new AttestationError(AttestationReason.BadEvidence, `the quote selects PCR ${tpmHash(sel.hashAlg).name}:${pcr}, whose value was not supplied`, { pcr });
      h.update(v);
    }
  }
  return h.digest();
}
