import type { DeviceView, EvidenceType, VerifyEvidenceRequest } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';

export type Claims = Record<string, string | number | boolean>;

/** What is known when evidence arrives: the registered device and the spent challenge. */
export interface VerificationContext {
  device: DeviceView & { firmwareVersion?: string | null };
  nonce: Buffer;
  /** Credential activation, when the challenge was made with one. */
  challenge: { akName: string | null; credentialHash: string | null };
  now: Date;
}

/** One kind of evidence. Returns the claims it proved, or throws an AttestationError. */
export interface EvidenceVerifier {
  readonly type: EvidenceType;
  verify(req: VerifyEvidenceRequest, ctx: VerificationContext): Promise<Claims>;
}

/** Base for verifiers: refuses everything, so a verifier overrides only what it can check. */
export abstract class DenyingVerifier implements EvidenceVerifier {
  abstract readonly type: EvidenceType;

  async verify(_req: VerifyEvidenceRequest, _ctx: VerificationContext): Promise<Claims> {
    throw new AttestationError(AttestationReason.BadEvidence, `evidence of type ${this.type} is not accepted`);
  }
}
