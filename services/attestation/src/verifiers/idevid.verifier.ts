import { createPublicKey } from 'node:crypto';
import type { VerifyEvidenceRequest } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';
import { idevidSerial, TrustAnchors } from '@iis/pki';
import { base64Field, verifiesNonce } from './evidence-fields';
import { Claims, DenyingVerifier, VerificationContext } from './evidence-verifier';
import { parseCertificateText, parseChain } from './key-certificate';

/**
 * `idevid`: the device signs the challenge nonce with the key of its manufacturer certificate
 * (IEEE 802.1AR IDevID); the certificate chains (pkijs, RFC 5280, CRLs where given) to a
 * configured manufacturer root and names the registered device's serial.
 */
export class IdevidVerifier extends DenyingVerifier {
  readonly type = 'idevid' as const;

  constructor(private readonly roots: TrustAnchors) {
    super();
  }

  override async verify(req: VerifyEvidenceRequest, ctx: VerificationContext): Promise<Claims> {
    const e = req.idevid;
    if (!e || typeof e !== 'object') throw new AttestationError(AttestationReason.BadEvidence, 'idevid evidence needs the idevid object');
    const cert = parseCertificateText(e.certificate, 'idevid.certificate');
    const chain = parseChain(e.chain, 'idevid.chain');
    const signature = base64Field(e.signature, 'idevid.signature', 1024);
    const result = await this.roots.validate(Buffer.from(cert.rawData), chain, ctx.now);
    if (!result.root) throw new AttestationError(AttestationReason.ChainInvalid, `the IDevID does not chain to a manufacturer root: ${result.reason}`);
    const serial = idevidSerial(cert);
    if (serial !== ctx.device.serial) throw new AttestationError(AttestationReason.IdentityMismatch, `the IDevID names serial ${serial ?? '(none)'}, not the device's ${ctx.device.serial}`);
    const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    if (!verifiesNonce(key, ctx.nonce, signature)) throw new AttestationError(AttestationReason.BadSignature, 'the nonce signature does not verify with the IDevID key');
    return { 'idevid.subject': cert.subject, 'idevid.issuer': cert.issuer, 'idevid.root': result.root, 'idevid.serial': serial };
  }
}
