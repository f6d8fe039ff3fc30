import { KeyObject, verify } from 'node:crypto';
import { AttestationError, AttestationReason } from '@iis/attestation';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A required base64 field of the evidence, decoded; bad or missing is a typed refusal. */
export function base64Field(value: unknown, field: string, maxBytes = 8192): Buffer {
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new AttestationError(AttestationReason.BadEvidence, `${field} must be base64`);
  }
  if ((value.length / 4) * 3 > maxBytes + 2) throw new AttestationError(AttestationReason.Oversized, `${field} is larger than ${maxBytes} bytes`, { structure: field });
  return Buffer.from(value, 'base64');
}

/** Whether `signature` over the nonce verifies with `key` (SHA-256; Ed25519 signs the raw nonce); a malformed signature is false. */
export function verifiesNonce(key: KeyObject, nonce: Buffer, signature: Buffer): boolean {
  try {
    return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', nonce, key, signature);
  } catch {
    return false;
  }
}
