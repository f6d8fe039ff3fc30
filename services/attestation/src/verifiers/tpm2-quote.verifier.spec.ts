import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VerifyEvidenceRequest } from '@iis/contracts';
import { AttestationReason, parseTpm2bPublic, tpmName } from '@iis/attestation';
import { TrustAnchors } from '@iis/pki';
import { EvidenceVerifiers } from './evidence-verifiers';
import type { VerificationContext } from './evidence-verifier';
import { Tpm2QuoteVerifier } from './tpm2-quote.verifier';

// Known answers from swtpm (test/fixtures/tpm/regenerate.sh).
const dir = path.join(__dirname, '../../../../test/fixtures/tpm');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const nonce = Buffer.from(read('nonce.hex').toString().trim(), 'hex');
const raw = read('ecc-sha256.pcrs');
const pcrs = { sha256: Object.fromEntries([0, 1, 16].map((p, i) => [String(p), raw.subarray(i * 32, (i + 1) * 32).toString('hex')])) };
const akName = tpmName(parseTpm2bPublic(read('ecc-sha256-ak.pub'))).toString('hex');
const credential = Buffer.alloc(32, 5);
const golden = [{ deviceClass: 'sensor', firmwareVersion: '1.0.0', bank: 'sha256', pcrs: pcrs.sha256 }];

const device = { id: 'd1', serial: 'SN-1', deviceClass: 'sensor', status: 'active', createdAt: '', sim: null, firmwareVersion: '1.0.0' } as VerificationContext['device'];
const ctx = (over: Partial<VerificationContext> = {}): VerificationContext => ({
  device,
  nonce,
  challenge: { akName, credentialHash: createHash('sha256').update(credential).digest('hex') },
  now: new Date(),
  ...over,
});
const request = (tpm: Partial<NonNullable<VerifyEvidenceRequest['tpm']>> = {}): VerifyEvidenceRequest => ({
  deviceId: 'd1',
  nonce: nonce.toString('base64'),
  type: 'tpm2-quote',
  tpm: { attest: read('ecc-sha256.attest').toString('base64'), signature: read('ecc-sha256.sig').toString('base64'), akPublic: read('ecc-sha256-ak.pub').toString('base64'), pcrs, activatedCredential: credential.toString('base64'), ...tpm },
});

describe('Tpm2QuoteVerifier', () => {
  const verifier = new Tpm2QuoteVerifier(TrustAnchors.of([], 'TPM vendor CAs'), () => golden);

  it('ok/credential activation for this AK and challenge, golden PCRs match', async () => {
    await expect(verifier.verify(request(), ctx())).resolves.toMatchObject({ 'tpm.akTrust': 'credential activation', 'tpm.akName': akName, 'device.firmwareVersion': '1.0.0' });
  });

  it.each([
    ['fail/neither AK certificate nor activated credential', request({ activatedCredential: undefined }), ctx(), AttestationReason.AkUntrusted],
    ['fail/credential of another challenge', request({ activatedCredential: Buffer.alloc(32, 6).toString('base64') }), ctx(), AttestationReason.CredentialMismatch],
    ['fail/challenge made for another AK', request(), ctx({ challenge: { akName: '000b' + '00'.repeat(32), credentialHash: createHash('sha256').update(credential).digest('hex') } }), AttestationReason.CredentialMismatch],
    ['fail/challenge without a credential', request(), ctx({ challenge: { akName: null, credentialHash: null } }), AttestationReason.CredentialMismatch],
    ['fail/an AK certificate that is not one', request({ activatedCredential: undefined, akCertificate: 'not a certificate' }), ctx(), AttestationReason.BadEvidence],
    ['fail/an AK certificate chain that is not a list', request({ activatedCredential: undefined, akCertificate: read('ecc-sha256-ak.pub').toString('base64'), akCertificateChain: 'x' as never }), ctx(), AttestationReason.BadEvidence],
    ['fail/no golden values for the firmware', request(), ctx({ device: { ...device, firmwareVersion: '9.9.9' } }), AttestationReason.NoGoldenValues],
    ['fail/attest not base64', request({ attest: '***' }), ctx(), AttestationReason.BadEvidence],
    ['fail/no tpm object', { ...request(), tpm: undefined }, ctx(), AttestationReason.BadEvidence],
  ] as const)('%s', async (_name, req, c, reason) => {
    await expect(verifier.verify(req as VerifyEvidenceRequest, c)).rejects.toMatchObject({ reason });
  });
});

describe('EvidenceVerifiers', () => {
  it('fail/an evidence type nobody verifies is refused', () => {
    expect(() => new EvidenceVerifiers([]).for('tpm2-quote')).toThrow(expect.objectContaining({ reason: AttestationReason.BadEvidence }));
  });
});
