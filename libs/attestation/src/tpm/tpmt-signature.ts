import { AttestationError, AttestationReason } from '../attestation.errors';
import { TpmAlg } from './tpm-constants';
import { TpmReader } from './tpm-reader';

/** A parsed TPMT_SIGNATURE (TPM 2.0 Part 2 §11.3.4): ECDSA (r, s) or RSASSA/RSAPSS bytes. */
export type TpmSignature =
  | { sigAlg: typeof TpmAlg.ECDSA; hashAlg: number; r: Buffer; s: Buffer }
  | { sigAlg: typeof TpmAlg.RSASSA | typeof TpmAlg.RSAPSS; hashAlg: number; sig: Buffer };

const MAX_SIGNATURE_BYTES = 2 + 2 + 2 + 512;

export function parseTpmSignature(bytes: Buffer): TpmSignature {
  if (bytes.length > MAX_SIGNATURE_BYTES) throw new AttestationError(AttestationReason.Oversized, `TPMT_SIGNATURE of ${bytes.length} bytes`, { structure: 'TPMT_SIGNATURE' });
  const r = new TpmReader(bytes, 'TPMT_SIGNATURE');
  const sigAlg = r.u16('sigAlg');
  const hashAlg = r.u16('hash');
  let out: TpmSignature;
  if (sigAlg === TpmAlg.ECDSA) {
    // Part 2 §11.3.2 TPMS_SIGNATURE_ECC: two TPM2B_ECC_PARAMETER.
    out = { sigAlg, hashAlg, r: r.tpm2b('signatureR', 66), s: r.tpm2b('signatureS', 66) };
  } else if (sigAlg === TpmAlg.RSASSA || sigAlg === TpmAlg.RSAPSS) {
    // Part 2 §11.3.1 TPMS_SIGNATURE_RSA: one TPM2B_PUBLIC_KEY_RSA.
    out = { sigAlg, hashAlg, sig: r.tpm2b('sig', 512) };
  } else {
    throw new AttestationError(AttestationReason.Unsupported, `signature algorithm 0x${sigAlg.toString(16)} is not supported`);
  }
  r.end();
  return out;
}
