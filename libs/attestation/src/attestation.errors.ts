/**
 * Reason codes of refused evidence. They travel in results, facts and error messages so the
 * policy engine and an operator can read why a piece of evidence was not accepted.
 */
export enum AttestationReason {
  Truncated = 'TPM_STRUCTURE_TRUNCATED',
  Oversized = 'TPM_STRUCTURE_OVERSIZED',
  BadMagic = 'TPM_BAD_MAGIC',
  BadType = 'TPM_BAD_TYPE',
  Unsupported = 'TPM_UNSUPPORTED_ALGORITHM',
  NonceMismatch = 'NONCE_MISMATCH',
  BadSignature = 'SIGNATURE_INVALID',
  PcrDigestMismatch = 'PCR_DIGEST_MISMATCH',
  PcrMismatch = 'PCR_MISMATCH',
  NoGoldenValues = 'NO_GOLDEN_VALUES',
  AkUntrusted = 'AK_UNTRUSTED',
  AkNotRestricted = 'AK_NOT_RESTRICTED',
  CredentialMismatch = 'CREDENTIAL_MISMATCH',
  ChainInvalid = 'CHAIN_INVALID',
  IdentityMismatch = 'IDENTITY_MISMATCH',
  SimLost = 'SIM_LOST',
  SimSuspended = 'SIM_SUSPENDED',
  SimUnknown = 'SIM_UNKNOWN',
  SimMismatch = 'SIM_MISMATCH',
  BadEvidence = 'BAD_EVIDENCE',
  ChallengeInvalid = 'CHALLENGE_INVALID',
}

/** Evidence that does not hold, with the reason code and, for PCRs, which one differs. */
export class AttestationError extends Error {
  constructor(
    readonly reason: AttestationReason,
    message: string,
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'AttestationError';
  }
}
