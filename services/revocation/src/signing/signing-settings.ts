import { ConfigError, Env, EnvReader } from '@iis/config';
import type { KeyAlgorithmName } from '@iis/pki';

/**
 * REVOCATION_SIGNING_KEY: the key each new revocation signing certificate gets. RSA signs PS256,
 * P-256 ES256 (RevocationSignatureAlgorithm). RSA-2048 is the default: every agent verifies
 * every event and an RSA-2048 verification costs about a third of a P-256 one in OpenSSL, while
 * the one signer pays ~0.3 ms a signature; p-256 makes events ~200 bytes smaller.
 */
const SIGNING_KEYS = { 'rsa-2048': 'RSA-2048', 'rsa-3072': 'RSA-3072', 'p-256': 'P-256' } as const satisfies Record<string, KeyAlgorithmName>;

/** What the revocation service reads for its signing key; a bad value stops it at start. */
export interface SigningSettings {
  keyAlgorithm: (typeof SIGNING_KEYS)[keyof typeof SIGNING_KEYS];
}

export const SIGNING_SETTINGS = Symbol('SigningSettings');

export function loadSigningSettings(env: Env = process.env): SigningSettings {
  const value = new EnvReader(env).string('REVOCATION_SIGNING_KEY', 'rsa-2048');
  if (!Object.prototype.hasOwnProperty.call(SIGNING_KEYS, value)) {
    throw new ConfigError('REVOCATION_SIGNING_KEY', `expected one of ${Object.keys(SIGNING_KEYS).join(', ')}, got "${value}"`);
  }
  return { keyAlgorithm: SIGNING_KEYS[value as keyof typeof SIGNING_KEYS] };
}
