import { randomBytes } from 'node:crypto';

/**
 * RFC 5280 4.1.2.2: a positive integer of at most 20 octets; CA/B Forum asks for at least
 * 64 bits from a CSPRNG. 16 random octets, the top bit cleared so the DER INTEGER is
 * positive without a pad byte, and the first octet never zero so the hex keeps its width.
 */
export function randomSerialHex(random: (n: number) => Buffer = randomBytes): string {
  const b = random(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
}
