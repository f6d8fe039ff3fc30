import { createHash, X509Certificate } from 'node:crypto';

/** SHA-256 (hex) of the SubjectPublicKeyInfo of a certificate (base64 DER): the key's fingerprint. */
export function certificateKeySha256(certificateB64: string): string {
  const spki = new X509Certificate(Buffer.from(certificateB64, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}
