import { AttestationError, AttestationReason } from '../attestation.errors';

/**
 * Big-endian reader over a TPM 2.0 marshalled structure (TPM 2.0 Part 1 §18 / Part 2:
 * all integers big-endian, TPM2B = UINT16 size + bytes). Running past the end is a typed
 * "truncated" error naming the structure; `end()` refuses trailing bytes ("oversized").
 */
export class TpmReader {
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly structure: string,
  ) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private take(n: number, field: string): Buffer {
    if (n > this.remaining) {
      throw new AttestationError(AttestationReason.Truncated, `${this.structure} is truncated: ${field} needs ${n} bytes at offset ${this.offset}, ${this.remaining} left`, { structure: this.structure, field });
    }
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u8(field: string): number {
    return this.take(1, field).readUInt8(0);
  }

  u16(field: string): number {
    return this.take(2, field).readUInt16BE(0);
  }

  u32(field: string): number {
    return this.take(4, field).readUInt32BE(0);
  }

  u64(field: string): bigint {
    return this.take(8, field).readBigUInt64BE(0);
  }

  bytes(n: number, field: string): Buffer {
    return Buffer.from(this.take(n, field));
  }

  /** A TPM2B: UINT16 size then that many bytes; `max` bounds the size the type allows. */
  tpm2b(field: string, max = 0xffff): Buffer {
    const size = this.u16(`${field}.size`);
    if (size > max) throw new AttestationError(AttestationReason.Oversized, `${this.structure}: ${field} declares ${size} bytes, more than ${max}`, { structure: this.structure, field });
    return this.bytes(size, field);
  }

  /** The whole structure was consumed: trailing bytes make it oversized. */
  end(): void {
    if (this.remaining !== 0) {
      throw new AttestationError(AttestationReason.Oversized, `${this.structure} has ${this.remaining} trailing bytes`, { structure: this.structure });
    }
  }
}
