import { constants, timingSafeEqual, verify } from 'node:crypto';
import { AttestationError, AttestationReason } from '../attestation.errors';
import { compareWithGolden, GoldenPcrs } from './golden-pcrs';
import { pcrDigest, PcrValues } from './pcr-values';
import { TpmAlg, tpmHash } from './tpm-constants';
import { TpmaObject, TpmPublic } from './tpm2b-public';
import { parseQuoteAttest, QuoteAttest } from './tpms-attest';
import { parseTpmSignature, TpmSignature } from './tpmt-signature';

export interface QuoteEvidence {
  /** TPMS_ATTEST as tpm2_quote -m writes it. */
  attest: Buffer;
  /** TPMT_SIGNATURE as tpm2_quote -s writes it. */
  signature: Buffer;
  /** The attestation key (parsed TPM2B_PUBLIC). */
  ak: TpmPublic;
  /** The nonce the verifier issued. */
  nonce: Buffer;
  pcrValues: PcrValues;
  /** Reference values; omitted = only the PCR digest is checked. */
  golden?: GoldenPcrs;
}

/** Verifies a TPMT_SIGNATURE over `data` with the AK (ECDSA r‖s, RSASSA-PKCS1-v1_5, RSAPSS). */
export function verifyTpmSignature(data: Buffer, sig: TpmSignature, ak: TpmPublic): boolean {
  const hash = tpmHash(sig.hashAlg).name;
  try {
    if (sig.sigAlg === TpmAlg.ECDSA) {
      if (ak.type !== TpmAlg.ECC) return false;
      const size = ak.eccBytes ?? 0;
      if (sig.r.length > size || sig.s.length > size) return false;
      const pad = (b: Buffer) => Buffer.concat([Buffer.alloc(size - b.length), b]);
      return verify(hash, data, { key: ak.key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([pad(sig.r), pad(sig.s)]));
    }
    if (ak.type !== TpmAlg.RSA) return false;
    const padding = sig.sigAlg === TpmAlg.RSAPSS ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
    return verify(hash, data, { key: ak.key, padding, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig.sig);
  } catch {
    return false;
  }
}

/**
 * A TPM 2.0 quote checked in the order that leaks least: structure, AK attributes, signature
 * (so nothing unsigned is believed), nonce, PCR digest, golden values.
 */
export function verifyQuote(e: QuoteEvidence): QuoteAttest {
  const attest = parseQuoteAttest(e.attest);
  const sig = parseTpmSignature(e.signature);
  // Part 1 §25.2: only a restricted signing key guarantees the TPM made the signed data.
  const need = TpmaObject.restricted | TpmaObject.sign | TpmaObject.fixedTPM;
  if ((e.ak.objectAttributes & need) !== need) throw new AttestationError(AttestationReason.AkNotRestricted, 'the attestation key is not a restricted, fixedTPM signing key');
  if (!verifyTpmSignature(e.attest, sig, e.ak)) throw new AttestationError(AttestationReason.BadSignature, 'the quote signature does not verify with the attestation key');
  if (attest.extraData.length !== e.nonce.length || !timingSafeEqual(attest.extraData, e.nonce)) {
    throw new AttestationError(AttestationReason.NonceMismatch, 'the quote was made over another nonce');
  }
  const digest = pcrDigest(attest.pcrSelections, e.pcrValues, sig.hashAlg);
  if (!digest.equals(attest.pcrDigest)) throw new AttestationError(AttestationReason.PcrDigestMismatch, 'the supplied PCR values do not match the quoted PCR digest');
  if (e.golden) compareWithGolden(e.golden, attest.pcrSelections, e.pcrValues);
  return attest;
}
