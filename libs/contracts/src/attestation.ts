/** Attestation evidence, verified results, and how onboarding redeems them (NATS messages). */

import type { AttestationResultEvent } from './policy-engine';

export type EvidenceType = 'tpm2-quote' | 'idevid' | 'sim';

/** The `attestation.type` fact each evidence type gives the policy engine (on the facts stream and when a decision reads a result). */
export const EVIDENCE_FACT_TYPE: Readonly<Record<EvidenceType, AttestationResultEvent['type']>> = { 'tpm2-quote': 'tpm', idevid: 'idevid', sim: 'sim' };

/** A TPM 2.0 quote as tpm2-tools writes it, every binary field base64. */
export interface TpmQuoteEvidence {
  /** TPMS_ATTEST (tpm2_quote -m). */
  attest: string;
  /** TPMT_SIGNATURE (tpm2_quote -s). */
  signature: string;
  /** TPM2B_PUBLIC of the AK (tpm2_createak -u). */
  akPublic: string;
  /** PCR values: bank → index → hex (tpm2_pcrread). */
  pcrs: Record<string, Record<string, string>>;
  /** AK trust, one of: an AK certificate (PEM or base64 DER) chaining to a TPM vendor CA, */
  akCertificate?: string;
  /** with the intermediates between it and that CA (PEM or base64 DER each, at most 4), */
  akCertificateChain?: string[];
  /** or the credential tpm2_activatecredential released for this challenge (base64). */
  activatedCredential?: string;
}

/** IEEE 802.1AR: the nonce signed with the IDevID key (SHA-256; ECDSA DER, RSA PKCS#1 v1.5 or Ed25519). */
export interface IdevidEvidence {
  /** The IDevID certificate, PEM or base64 DER. */
  certificate: string;
  /** Intermediates up to (not including) a manufacturer root, PEM or base64 DER each. */
  chain?: string[];
  /** base64 signature over the raw nonce bytes. */
  signature: string;
}

/** What the device reads from its modem and SIM (AT+CCID, AT+CIMI, AT+CGSN). */
export interface SimEvidence {
  iccid: string;
  imsi: string;
  imei: string;
  /**
   * The device key (base64 DER SubjectPublicKeyInfo) and the raw nonce signed with it (base64;
   * SHA-256, ECDSA DER, RSA PKCS#1 v1.5 or Ed25519). Required once a key is bound to the SIM.
   */
  publicKey?: string;
  keySignature?: string;
}

export interface VerifyEvidenceRequest {
  deviceId: string;
  /** The challenge's nonce, base64, exactly as issued. */
  nonce: string;
  type: EvidenceType;
  tpm?: TpmQuoteEvidence;
  idevid?: IdevidEvidence;
  sim?: SimEvidence;
}

/**
 * A verified attestation result: what was proven, by which evidence, until when. Evidence that
 * fails its verifier is kept too (`verdict: 'fail'`, with the reason code) for the operator; only
 * a pass can be redeemed.
 */
export interface AttestationResultView {
  id: string;
  deviceId: string;
  evidenceType: EvidenceType;
  verdict: 'pass' | 'fail';
  claims: Record<string, string | number | boolean>;
  /** Why the evidence failed (PCR_MISMATCH, SIM_MISMATCH, …); null on a pass. */
  reasonCode: string | null;
  reason: string | null;
  issuedAt: string;
  expiresAt: string;
  usedAt: string | null;
  /** The result as a compact JWS (ES256) signed by the attestation service. */
  token: string;
}

export interface GetAttestationResultRequest {
  id: string;
}

/** A device's results, newest first. */
export interface DeviceAttestationResultsRequest {
  deviceId: string;
  /** 1 to 500, default 50. */
  limit?: number;
}
export interface DeviceAttestationResultsReply {
  deviceId: string;
  results: AttestationResultView[];
}

/** Onboarding spends a result once, for the device it names, before it expires. */
export interface RedeemAttestationResultRequest {
  id: string;
  deviceId: string;
  /** Who spends it (a UUID per enrollment attempt): only the same redemption can release it. */
  redemptionId: string;
}

/** A redemption that won (a losing one is refused with ATTESTATION_REQUIRED and why). */
export interface RedeemAttestationResultReply {
  redeemed: true;
}

/** Undoes a redemption whose enrollment issued no certificate; idempotent. */
export interface ReleaseAttestationResultRequest {
  id: string;
  deviceId: string;
  redemptionId: string;
}
export interface ReleaseAttestationResultReply {
  /** False when the result was not spent by that redemption (already released, or never). */
  released: boolean;
}
