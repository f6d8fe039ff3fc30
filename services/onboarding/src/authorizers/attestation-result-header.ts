/**
 * The HTTP header an enrolling device names its attestation result in. RFC 7030 has no field
 * for it; a header keeps the CSR as the device's TPM or software makes it (the CSR attestation
 * draft, draft-ietf-lamps-csr-attestation, carries raw evidence, not a verifier's result).
 */
export const ATTESTATION_RESULT_HEADER = 'attestation-result';

/** The header's value if it is one plausible id; anything else counts as absent. */
export function attestationResultHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && /^[0-9a-f-]{36}$/i.test(v.trim()) ? v.trim().toLowerCase() : undefined;
}
