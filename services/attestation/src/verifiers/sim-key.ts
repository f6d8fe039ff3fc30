import { createPublicKey, KeyObject } from 'node:crypto';
import type { SimEvidence } from '@iis/contracts';
import { AttestationError, AttestationReason } from '@iis/attestation';
import { spkiSha256 } from '@iis/pki';
import { base64Field, verifiesNonce } from './evidence-fields';

/**
 * The device key a SIM sighting proves: the SPKI and the raw nonce signed with it (SHA-256;
 * ECDSA, RSA PKCS#1 v1.5 or Ed25519). Returns SHA-256 (hex) of the SPKI, or null when the
 * evidence carries no key. Half a proof, a key that does not parse or a signature that does
 * not verify is refused.
 */
export function provenSimKey(sim: SimEvidence, nonce: Buffer): string | null {
  if (sim.publicKey === undefined && sim.keySignature === undefined) return null;
  if (sim.publicKey === undefined || sim.keySignature === undefined) throw new AttestationError(AttestationReason.BadEvidence, 'sim.publicKey and sim.keySignature go together');
  const spki = base64Field(sim.publicKey, 'sim.publicKey', 2048);
  const signature = base64Field(sim.keySignature, 'sim.keySignature', 1024);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new AttestationError(AttestationReason.BadEvidence, 'sim.publicKey is not a DER SubjectPublicKeyInfo');
  }
  if (!verifiesNonce(key, nonce, signature)) throw new AttestationError(AttestationReason.BadSignature, 'the nonce signature does not verify with sim.publicKey');
  // Fingerprint of the re-exported SPKI, so the same key always hashes the same.
  return spkiSha256(key);
}
