import type { AttestationResultView, FactScalar } from '@iis/contracts';
import { DomainError, ErrorCode, EVIDENCE_FACT_TYPE } from '@iis/contracts';
import { ageSeconds } from '../evaluation/fact-events';

/**
 * The facts a decision takes from the attestation result it names (by id, read from the
 * attestation service): its type, verdict and age. They win over what the facts stream taught
 * the engine, which may not have delivered this result's fact yet when the device enrolls right
 * after attesting. A result of another device is refused: it says nothing about this one.
 */
export function attestationResultFacts(result: AttestationResultView, deviceId: string | null, now: Date): Record<string, FactScalar> {
  if (result.deviceId !== deviceId) throw new DomainError(ErrorCode.BadRequest, `attestation result ${result.id} is for another device`);
  return {
    'attestation.type': EVIDENCE_FACT_TYPE[result.evidenceType],
    'attestation.verdict': result.verdict,
    'attestation.ageSeconds': ageSeconds(result.issuedAt, now),
  };
}
