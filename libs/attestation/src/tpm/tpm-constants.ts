import { AttestationError, AttestationReason } from '../attestation.errors';

/** TPM 2.0 Part 2 §6.2: TPM_GENERATED_VALUE, the magic of every TPM-made TPMS_ATTEST. */
export const TPM_GENERATED_VALUE = 0xff544347;
/** TPM 2.0 Part 2 §6.9: TPM_ST_ATTEST_QUOTE. */
export const TPM_ST_ATTEST_QUOTE = 0x8018;

/** TPM 2.0 Part 2 §6.3 TPM_ALG_ID values this library understands. */
export const TpmAlg = {
  RSA: 0x0001,
  SHA1: 0x0004,
  AES: 0x0006,
  SHA256: 0x000b,
  SHA384: 0x000c,
  SHA512: 0x000d,
  NULL: 0x0010,
  RSASSA: 0x0014,
  RSAPSS: 0x0016,
  ECDSA: 0x0018,
  ECC: 0x0023,
  CFB: 0x0043,
} as const;

/** TPM 2.0 Part 2 §6.4 TPM_ECC_CURVE → node:crypto curve names. */
export const TPM_ECC_CURVES: Record<number, { name: string; bytes: number }> = {
  0x0003: { name: 'P-256', bytes: 32 },
  0x0004: { name: 'P-384', bytes: 48 },
  0x0005: { name: 'P-521', bytes: 66 },
};

const HASHES: Record<number, { name: string; size: number }> = {
  [TpmAlg.SHA1]: { name: 'sha1', size: 20 },
  [TpmAlg.SHA256]: { name: 'sha256', size: 32 },
  [TpmAlg.SHA384]: { name: 'sha384', size: 48 },
  [TpmAlg.SHA512]: { name: 'sha512', size: 64 },
};

/** The node:crypto name and digest size of a TPM hash algorithm; anything else is refused. */
export function tpmHash(alg: number): { name: string; size: number } {
  const h = HASHES[alg];
  if (!h) throw new AttestationError(AttestationReason.Unsupported, `hash algorithm 0x${alg.toString(16).padStart(4, '0')} is not supported`);
  return h;
}

/** `sha1` / `sha256` … → TPM_ALG_ID, for PCR banks named in configuration. */
export function tpmHashByName(name: string): number {
  const found = Object.entries(HASHES).find(([, h]) => h.name === name.toLowerCase());
  if (!found) throw new AttestationError(AttestationReason.Unsupported, `PCR bank "${name}" is not supported`);
  return Number(found[0]);
}
