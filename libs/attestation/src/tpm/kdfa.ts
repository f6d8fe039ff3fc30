import { createHmac } from 'node:crypto';
import { tpmHash } from './tpm-constants';

/**
 * TPM 2.0 Part 1 §11.4.10.2 KDFa (SP 800-108 counter mode with HMAC):
 * K(i) = HMAC(key, [i]32 ‖ Label ‖ 00 ‖ contextU ‖ contextV ‖ [bits]32), truncated to `bits`.
 * `label` is given without its terminating zero octet; this adds it.
 */
export function kdfa(hashAlg: number, key: Buffer, label: string, contextU: Buffer, contextV: Buffer, bits: number): Buffer {
  const hash = tpmHash(hashAlg).name;
  const bytes = Math.ceil(bits / 8);
  const out: Buffer[] = [];
  const bitsBuf = Buffer.alloc(4);
  bitsBuf.writeUInt32BE(bits);
  let produced = 0;
  for (let i = 1; produced < bytes; i++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(i);
    const block = createHmac(hash, key).update(counter).update(label, 'ascii').update(Buffer.from([0])).update(contextU).update(contextV).update(bitsBuf).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.concat(out).subarray(0, bytes);
}
