import { createHash, timingSafeEqual } from 'node:crypto';
import type { VerifyEvidenceRequest } from '@iis/contracts';
import { AttestationError, AttestationReason, findGolden, GoldenPcrs, parsePcrValues, parseTpm2bPublic, tpmName, verifyQuote } from '@iis/attestation';
import type { TrustAnchors } from '@iis/pki';
import { base64Field } from './evidence-fields';
import { Claims, DenyingVerifier, VerificationContext } from './evidence-verifier';
import { checkKeyCertificate } from './key-certificate';

/**
 * `tpm2-quote`: a TPM 2.0 quote over the challenge nonce, by an AK trusted either through an
 * AK certificate from a TPM vendor CA or through credential activation against the EK the
 * challenge was made for; the quoted PCRs must equal the golden values of the device's class
 * and firmware version.
 */
export class Tpm2QuoteVerifier extends DenyingVerifier {
  readonly type = 'tpm2-quote' as const;

  constructor(
    private readonly vendorCas: TrustAnchors,
    private readonly golden: () => GoldenPcrs[],
  ) {
    super();
  }

  override async verify(req: VerifyEvidenceRequest, ctx: VerificationContext): Promise<Claims> {
    const t = req.tpm;
    if (!t || typeof t !== 'object') throw new AttestationError(AttestationReason.BadEvidence, 'tpm2-quote evidence needs the tpm object');
    const attest = base64Field(t.attest, 'tpm.attest', 1024);
    const signature = base64Field(t.signature, 'tpm.signature', 1024);
    const ak = parseTpm2bPublic(base64Field(t.akPublic, 'tpm.akPublic', 1024));
    const pcrValues = parsePcrValues(t.pcrs);
    const akName = tpmName(ak).toString('hex');

    let akTrust: string;
    if (t.akCertificate !== undefined) {
      akTrust = `certificate from ${await checkKeyCertificate(t.akCertificate, t.akCertificateChain, ak.key, this.vendorCas, ctx.now, 'AK')}`;
    } else if (t.activatedCredential !== undefined) {
      const released = createHash('sha256').update(base64Field(t.activatedCredential, 'tpm.activatedCredential', 64)).digest();
      const expected = ctx.challenge.credentialHash ? Buffer.from(ctx.challenge.credentialHash, 'hex') : null;
      if (!expected || ctx.challenge.akName !== akName || !timingSafeEqual(released, expected)) {
        throw new AttestationError(AttestationReason.CredentialMismatch, 'the activated credential is not the one made for this AK and challenge');
      }
      akTrust = 'credential activation';
    } else {
      throw new AttestationError(AttestationReason.AkUntrusted, 'the AK needs an AK certificate or an activated credential');
    }

    const golden = findGolden(this.golden(), ctx.device.deviceClass, ctx.device.firmwareVersion ?? null);
    const quote = verifyQuote({ attest, signature, ak, nonce: ctx.nonce, pcrValues, golden });
    return {
      'tpm.akName': akName,
      'tpm.akTrust': akTrust,
      'tpm.pcrBank': golden.bank,
      'tpm.pcrs': Object.keys(golden.pcrs).join(','),
      'tpm.resetCount': quote.resetCount,
      'tpm.restartCount': quote.restartCount,
      'tpm.firmwareVersion': quote.firmwareVersion.toString(16),
      'device.firmwareVersion': golden.firmwareVersion,
    };
  }
}
