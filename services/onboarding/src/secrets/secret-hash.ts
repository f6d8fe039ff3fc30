import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Enrollment secrets carry 256 random bits, so a keyed hash (HMAC-SHA256) is enough to
 * store them: nobody can brute-force the space, and a stolen table without the key
 * reveals nothing. A slow password KDF would only slow down enrollment storms.
 */
export function newSecret(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

export function hashSecret(key: Buffer, secret: string): string {
  return createHmac('sha256', key).update(secret, 'utf8').digest('hex');
}

export function secretMatches(key: Buffer, secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(key, secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
