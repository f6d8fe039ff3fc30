import { certificateSpki, validSpkiSha256 } from '@iis/pki';

/**
 * SHA-256 (hex) of the SubjectPublicKeyInfo of a certificate our CA issued (base64 DER): the key's
 * fingerprint, the same figure spkiSha256 gives for its key. The CA imported (and so validated)
 * the key before signing, so the SubjectPublicKeyInfo is read straight from the DER; parsing the
 * whole certificate and re-exporting the key cost ~250 us of the onboarding event loop per enrollment.
 */
export function certificateKeySha256(certificateB64: string): string {
  return validSpkiSha256(certificateSpki(Buffer.from(certificateB64, 'base64')));
}
