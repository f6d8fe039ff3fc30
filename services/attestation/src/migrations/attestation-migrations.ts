import { AttestationInitial1732400000000 } from './1732400000000-attestation-initial';
import { AttestationCredentialChallenges1765000000200 } from './1765000000200-attestation-credential-challenges';
import { AttestationResults1765000000201 } from './1765000000201-attestation-results';
import { AttestationResultRedemption1765000000801 } from './1765000000801-attestation-result-redemption';
import { AttestationRefusalsAndExpiry1765000000802 } from './1765000000802-attestation-refusals-and-expiry';
import { AttestationFactOutbox1765000000803 } from './1765000000803-attestation-fact-outbox';

/** Every migration of the attestation service, in order (Nest-free, so tests can open the store). */
export const ATTESTATION_MIGRATIONS = [
  AttestationInitial1732400000000,
  AttestationCredentialChallenges1765000000200,
  AttestationResults1765000000201,
  AttestationResultRedemption1765000000801,
  AttestationRefusalsAndExpiry1765000000802,
  AttestationFactOutbox1765000000803,
];
