import { randomBytes } from 'node:crypto';

const POOL_SIZE = 16 * 512;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

/** 16 bytes from the CSPRNG, drawn 8 KiB at a time (one RAND_bytes call per 512 serials). */
function pooled16(n: number): Buffer {
  if (n !== 16) return randomBytes(n);
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + 16));
  pool.fill(0, offset, offset + 16); // a served serial's bytes do not stay behind in the pool
  offset += 16;
  return out;
}

/**
 * RFC 5280 4.1.2.2: a positive integer of at most 20 octets; CA/B Forum asks for at least
 * 64 bits from a CSPRNG. 16 random octets, the top bit cleared so the DER INTEGER is
 * positive without a pad byte, and the first octet never zero so the hex keeps its width.
 */
export function randomSerialHex(random: (n: number) => Buffer = pooled16): string {
  const b = random(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
}
