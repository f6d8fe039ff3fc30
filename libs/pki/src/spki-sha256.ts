import { createHash, KeyObject } from 'node:crypto';

/**
 * A public key's fingerprint: SHA-256 (hex) of its DER SubjectPublicKeyInfo, re-exported so the
 * same key always hashes the same however it arrived (a certificate, a SIM's proof of key).
 */
export function spkiSha256(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}
