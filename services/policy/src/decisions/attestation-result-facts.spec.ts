import type { AttestationResultView } from '@iis/contracts';
import { ErrorCode } from '@iis/contracts';
import { attestationResultFacts } from './attestation-result-facts';

const now = new Date('2026-06-01T12:00:00Z');
const result = (over: Partial<AttestationResultView> = {}): AttestationResultView => ({
  id: 'r1', deviceId: 'd1', evidenceType: 'tpm2-quote', verdict: 'pass', claims: {}, reasonCode: null, reason: null,
  issuedAt: new Date(now.getTime() - 90_000).toISOString(), expiresAt: now.toISOString(), usedAt: null, token: 't', ...over,
});

describe('attestationResultFacts', () => {
  it.each([
    ['ok/a passing TPM quote', result(), { 'attestation.type': 'tpm', 'attestation.verdict': 'pass', 'attestation.ageSeconds': 90 }],
    ['ok/a failed SIM check', result({ evidenceType: 'sim', verdict: 'fail' }), { 'attestation.type': 'sim', 'attestation.verdict': 'fail', 'attestation.ageSeconds': 90 }],
    ['ok/an IDevID issued in the future (clock skew) is age 0', result({ evidenceType: 'idevid', issuedAt: new Date(now.getTime() + 5000).toISOString() }), { 'attestation.type': 'idevid', 'attestation.verdict': 'pass', 'attestation.ageSeconds': 0 }],
  ])('%s', (_n, r, facts) => {
    expect(attestationResultFacts(r, 'd1', now)).toEqual(facts);
  });

  it('fail/a result of another device', () => {
    expect(() => attestationResultFacts(result({ deviceId: 'd2' }), 'd1', now)).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });
});
