import { createHash } from 'node:crypto';
import { counterKdf } from './counter-kdf';
import { tpmHash } from './tpm-constants';

/**
 * TPM 2.0 Part 1 §11.4.10.3 KDFe (SP 800-56A concatenation KDF), for ECDH secret sharing:
 * K(i) = H([i]32 ‖ Z ‖ Label ‖ 00 ‖ partyUInfo ‖ partyVInfo), truncated to `bits`.
 * `label` is given without its terminating zero octet; this adds it.
 */
export function kdfe(hashAlg: number, z: Buffer, label: string, partyUInfo: Buffer, partyVInfo: Buffer, bits: number): Buffer {
  const hash = tpmHash(hashAlg).name;
  return counterKdf(bits, (counter) => createHash(hash).update(counter).update(z).update(label, 'ascii').update(Buffer.from([0])).update(partyUInfo).update(partyVInfo).digest());
}
