import { AttestationError, AttestationReason } from '../attestation.errors';
import { TPM_GENERATED_VALUE, TPM_ST_ATTEST_QUOTE } from './tpm-constants';
import { TpmReader } from './tpm-reader';

/** One entry of a TPML_PCR_SELECTION: a bank and the PCR indexes selected in it. */
export interface PcrSelection {
  hashAlg: number;
  pcrs: number[];
}

/** A parsed TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (TPM 2.0 Part 2 §10.12.12). */
export interface QuoteAttest {
  qualifiedSigner: Buffer;
  /** The qualifying data the verifier supplied: the challenge nonce. */
  extraData: Buffer;
  clock: bigint;
  resetCount: number;
  restartCount: number;
  safe: boolean;
  firmwareVersion: bigint;
  pcrSelections: PcrSelection[];
  pcrDigest: Buffer;
}

/** Largest TPMS_ATTEST a TPM emits (TPM2B_ATTEST holds at most sizeof(TPMS_ATTEST)). */
const MAX_ATTEST_BYTES = 1024;
const MAX_SELECTIONS = 16;

/** TPM 2.0 Part 2 §10.6.2 TPML_PCR_SELECTION: count, then { hash, sizeofSelect, bitmap }. */
export function readPcrSelections(r: TpmReader): PcrSelection[] {
  const count = r.u32('pcrSelect.count');
  if (count > MAX_SELECTIONS) throw new AttestationError(AttestationReason.Oversized, `TPML_PCR_SELECTION declares ${count} banks`, { structure: 'TPML_PCR_SELECTION' });
  const out: PcrSelection[] = [];
  for (let i = 0; i < count; i++) {
    const hashAlg = r.u16('pcrSelect.hash');
    const size = r.u8('pcrSelect.sizeofSelect');
    if (size > 8) throw new AttestationError(AttestationReason.Oversized, `TPMS_PCR_SELECTION bitmap of ${size} bytes`, { structure: 'TPMS_PCR_SELECTION' });
    const bitmap = r.bytes(size, 'pcrSelect.pcrSelect');
    const pcrs: number[] = [];
    // Part 2 §10.6.1: bit n of octet k selects PCR 8k + n.
    bitmap.forEach((octet, k) => {
      for (let bit = 0; bit < 8; bit++) if (octet & (1 << bit)) pcrs.push(8 * k + bit);
    });
    out.push({ hashAlg, pcrs });
  }
  return out;
}

/** Parses a TPM-made quote: magic, type, then the quote info; no trailing bytes. */
export function parseQuoteAttest(bytes: Buffer): QuoteAttest {
  if (bytes.length > MAX_ATTEST_BYTES) throw new AttestationError(AttestationReason.Oversized, `TPMS_ATTEST of ${bytes.length} bytes exceeds ${MAX_ATTEST_BYTES}`, { structure: 'TPMS_ATTEST' });
  const r = new TpmReader(bytes, 'TPMS_ATTEST');
  const magic = r.u32('magic');
  // Part 2 §10.12.12: a TPM signs TPM_GENERATED_VALUE only over data it produced itself.
  if (magic !== TPM_GENERATED_VALUE) throw new AttestationError(AttestationReason.BadMagic, `TPMS_ATTEST magic is 0x${magic.toString(16)}, not TPM_GENERATED_VALUE`);
  const type = r.u16('type');
  if (type !== TPM_ST_ATTEST_QUOTE) throw new AttestationError(AttestationReason.BadType, `TPMS_ATTEST type is 0x${type.toString(16)}, not TPM_ST_ATTEST_QUOTE`);
  const qualifiedSigner = r.tpm2b('qualifiedSigner', 2 + 64);
  const extraData = r.tpm2b('extraData', 64);
  const clock = r.u64('clockInfo.clock');
  const resetCount = r.u32('clockInfo.resetCount');
  const restartCount = r.u32('clockInfo.restartCount');
  const safe = r.u8('clockInfo.safe') === 1;
  const firmwareVersion = r.u64('firmwareVersion');
  const pcrSelections = readPcrSelections(r);
  const pcrDigest = r.tpm2b('pcrDigest', 64);
  r.end();
  return { qualifiedSigner, extraData, clock, resetCount, restartCount, safe, firmwareVersion, pcrSelections, pcrDigest };
}
