import { X509Certificate } from 'node:crypto';
import { spkiSha256 } from '@iis/pki';

/** SHA-256 (hex) of the SubjectPublicKeyInfo of a certificate (base64 DER): the key's fingerprint. */
export function certificateKeySha256(certificateB64: string): string {
  return spkiSha256(new X509Certificate(Buffer.from(certificateB64, 'base64')).publicKey);
}
