import type { AttestationResultView } from '@iis/contracts';
import { formatAttestationList, formatAttestationResult } from './attestation-output';

const now = new Date('2026-11-24T12:00:00.000Z');
const pass: AttestationResultView = {
  id: '11111111-1111-4111-8111-111111111111',
  deviceId: '22222222-2222-4222-8222-222222222222',
  evidenceType: 'tpm2-quote',
  verdict: 'pass',
  claims: { 'tpm.pcrBank': 'sha256', 'challenge.id': 'c1' },
  reasonCode: null,
  reason: null,
  issuedAt: '2026-11-24T11:59:00.000Z',
  expiresAt: '2026-11-24T12:09:00.000Z',
  usedAt: null,
  token: 'a.b.c',
};
const fail: AttestationResultView = { ...pass, id: '33333333-3333-4333-8333-333333333333', verdict: 'fail', reasonCode: 'PCR_MISMATCH', reason: 'PCR sha256:16 differs\x1b[31m', claims: {} };

describe('idctl attestation output', () => {
  it.each([
    ['ok/a redeemable pass', pass, /tpm2-quote  pass  redeemable until 2026-11-24T12:09:00.000Z$/],
    ['ok/a used pass', { ...pass, usedAt: '2026-11-24T11:59:30.000Z' }, /pass  used 2026-11-24T11:59:30.000Z$/],
    ['ok/an expired pass', { ...pass, expiresAt: '2026-11-24T11:00:00.000Z' }, /pass  expired$/],
    ['ok/a refusal shows its reason code', fail, /tpm2-quote  FAIL PCR_MISMATCH$/],
  ] as const)('%s', (_name, r, line) => {
    const out = formatAttestationList({ serial: 'SN-1', deviceId: pass.deviceId, results: [r] }, now).split('\n');
    expect(out[0]).toBe(`device SN-1 (${pass.deviceId}): 1 attestation result(s), newest first`);
    expect(out[1]).toMatch(line);
  });

  it('ok/no results says so', () => {
    expect(formatAttestationList({ serial: 'SN-1', deviceId: pass.deviceId, results: [] }, now)).toContain('no attestation results');
  });

  it('ok/show: every field, claims one per line, control characters cleaned', () => {
    const out = formatAttestationResult(fail);
    expect(out).toContain('verdict   fail  PCR_MISMATCH\n');
    expect(out).toContain('reason    PCR sha256:16 differs?[31m\n');
    expect(out).toContain('claims    none\n');
    expect(formatAttestationResult(pass)).toContain('claims\n  tpm.pcrBank = sha256\n  challenge.id = c1\n');
  });
});
