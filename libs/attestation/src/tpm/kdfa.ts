import { createHmac } from 'node:crypto';
import { counterKdf } from './counter-kdf';
import { tpmHash } from './tpm-constants';

/**
 * TPM 2.0 Part 1 §11.4.10.2 KDFa (SP 800-108 counter mode with HMAC):
 * K(i) = HMAC(key, [i]32 ‖ Label ‖ 00 ‖ contextU ‖ contextV ‖ [bits]32), truncated to `bits`.
 * `label` is given without its terminating zero octet; this adds it.
 */
export function kdfa(hashAlg: number, key: Buffer, label: string, contextU: Buffer, contextV: Buffer, bits: number): Buffer {
  const hash = tpmHash(hashAlg).name;
  const bitsBuf = Buffer.alloc(4);
  bitsBuf.writeUInt32BE(bits);
  return counterKdf(bits, (counter) => createHmac(hash, key).update(counter).update(label, 'ascii').update(Buffer.from([0])).update(contextU).update(contextV).update(bitsBuf).digest());
}
