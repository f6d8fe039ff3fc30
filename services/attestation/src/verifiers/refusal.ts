import { DomainError, ErrorCode } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';

/** Malformed structures are the sender's bad input (400); the rest is evidence that does not hold (403). */
const MALFORMED = new Set<AttestationReason>([AttestationReason.Truncated, AttestationReason.Oversized, AttestationReason.BadEvidence, AttestationReason.Unsupported]);

/** An AttestationError as the DomainError every edge maps; the message starts with the reason code. */
export function refusal(e: AttestationError): DomainError {
  return new DomainError(MALFORMED.has(e.reason) ? ErrorCode.BadRequest : ErrorCode.AttestationRefused, `${e.reason}: ${e.message}`);
}
