/**
 * The counter loop KDFa and KDFe share: K(1) ‖ K(2) ‖ … with `block(counter)` given the 32-bit
 * big-endian counter from 1, truncated to `bits`. Internal to the TPM key derivations.
 */
export function counterKdf(bits: number, block: (counter: Buffer) => Buffer): Buffer {
  const bytes = Math.ceil(bits / 8);
  const out: Buffer[] = [];
  let produced = 0;
  for (let i = 1; produced < bytes; i++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(i);
    const k = block(counter);
    out.push(k);
    produced += k.length;
  }
  return Buffer.concat(out).subarray(0, bytes);
}
