import type { EvidenceType } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';
import type { EvidenceVerifier } from './evidence-verifier';

/** The verifiers by evidence type; a type nobody verifies is refused (deny by default). */
export class EvidenceVerifiers {
  private readonly byType = new Map<string, EvidenceVerifier>();

  constructor(verifiers: EvidenceVerifier[]) {
    for (const v of verifiers) this.byType.set(v.type, v);
  }

  for(type: EvidenceType | string): EvidenceVerifier {
    const v = typeof type === 'string' ? this.byType.get(type) : undefined;
    if (!v) throw new AttestationError(AttestationReason.BadEvidence, `evidence type "${String(type)}" is not supported; supported: ${[...this.byType.keys()].join(', ')}`);
    return v;
  }
}
