import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { AttestationError, AttestationReason } from '../attestation.errors';
import { TPM_ECC_CURVES, TpmAlg, tpmHash } from './tpm-constants';
import { TpmReader } from './tpm-reader';

/** Part 2 §8.3 TPMA_OBJECT bits a verifier cares about. */
export const TpmaObject = {
  fixedTPM: 1 << 1,
  fixedParent: 1 << 4,
  sensitiveDataOrigin: 1 << 5,
  restricted: 1 << 16,
  decrypt: 1 << 17,
  sign: 1 << 18,
} as const;

/** A parsed TPMT_PUBLIC (TPM 2.0 Part 2 §12.2.4) of an RSA or ECC key. */
export interface TpmPublic {
  type: typeof TpmAlg.RSA | typeof TpmAlg.ECC;
  nameAlg: number;
  objectAttributes: number;
  /** The symmetric algorithm of a storage key (an EK): AES key bits, or null. */
  symmetric: { alg: number; keyBits: number; mode: number } | null;
  scheme: { alg: number; hashAlg: number } | null;
  key: KeyObject;
  /** The marshalled TPMT_PUBLIC: its digest is the object's Name. */
  tpmtPublic: Buffer;
  /** The RSA modulus size in bits, or the curve name. */
  keyDescription: string;
  /** ECC only: bytes of a coordinate (and of r, s in a signature). */
  eccBytes?: number;
}

function readSymmetric(r: TpmReader): TpmPublic['symmetric'] {
  const alg = r.u16('symmetric.algorithm');
  if (alg === TpmAlg.NULL) return null;
  return { alg, keyBits: r.u16('symmetric.keyBits'), mode: r.u16('symmetric.mode') };
}

function readScheme(r: TpmReader): TpmPublic['scheme'] {
  const alg = r.u16('scheme.scheme');
  if (alg === TpmAlg.NULL) return null;
  return { alg, hashAlg: r.u16('scheme.hashAlg') };
}

function readTpmtPublic(r: TpmReader): Omit<TpmPublic, 'tpmtPublic'> {
  const type = r.u16('type');
  const nameAlg = r.u16('nameAlg');
  const objectAttributes = r.u32('objectAttributes');
  r.tpm2b('authPolicy', 64);
  if (type === TpmAlg.RSA) {
    const symmetric = readSymmetric(r);
    const scheme = readScheme(r);
    const keyBits = r.u16('keyBits');
    // Part 2 §12.2.3.5: an exponent of zero means the default 2^16 + 1.
    const exponent = r.u32('exponent') || 65537;
    const n = r.tpm2b('unique.rsa', 512);
    const e = Buffer.alloc(4);
    e.writeUInt32BE(exponent);
    const key = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.subarray(e.findIndex((b) => b !== 0)).toString('base64url') }, format: 'jwk' });
    return { type, nameAlg, objectAttributes, symmetric, scheme, key, keyDescription: `RSA ${keyBits}` };
  }
  if (type === TpmAlg.ECC) {
    const symmetric = readSymmetric(r);
    const scheme = readScheme(r);
    const curveId = r.u16('curveID');
    const kdf = r.u16('kdf.scheme');
    if (kdf !== TpmAlg.NULL) r.u16('kdf.hashAlg');
    const curve = TPM_ECC_CURVES[curveId];
    if (!curve) throw new AttestationError(AttestationReason.Unsupported, `ECC curve 0x${curveId.toString(16)} is not supported`);
    const x = r.tpm2b('unique.x', curve.bytes);
    const y = r.tpm2b('unique.y', curve.bytes);
    const pad = (b: Buffer) => Buffer.concat([Buffer.alloc(curve.bytes - b.length), b]).toString('base64url');
    const key = createPublicKey({ key: { kty: 'EC', crv: curve.name, x: pad(x), y: pad(y) }, format: 'jwk' });
    return { type, nameAlg, objectAttributes, symmetric, scheme, key, keyDescription: curve.name, eccBytes: curve.bytes };
  }
  throw new AttestationError(AttestationReason.Unsupported, `public key type 0x${type.toString(16)} is not supported`);
}

/** Parses a TPM2B_PUBLIC as tpm2_createak / tpm2_createek write it (`-u`, tss format). */
export function parseTpm2bPublic(bytes: Buffer): TpmPublic {
  if (bytes.length > 2 + 1024) throw new AttestationError(AttestationReason.Oversized, `TPM2B_PUBLIC of ${bytes.length} bytes`, { structure: 'TPM2B_PUBLIC' });
  const outer = new TpmReader(bytes, 'TPM2B_PUBLIC');
  const tpmtPublic = outer.tpm2b('publicArea');
  outer.end();
  const r = new TpmReader(tpmtPublic, 'TPMT_PUBLIC');
  let parsed: Omit<TpmPublic, 'tpmtPublic'>;
  try {
    parsed = readTpmtPublic(r);
  } catch (e) {
    if (e instanceof AttestationError) throw e;
    throw new AttestationError(AttestationReason.BadEvidence, `TPMT_PUBLIC holds no usable key: ${(e as Error).message}`);
  }
  r.end();
  return { ...parsed, tpmtPublic };
}

/** Part 1 §16: Name = nameAlg (UINT16) || H_nameAlg(TPMT_PUBLIC). */
export function tpmName(pub: TpmPublic): Buffer {
  const alg = Buffer.alloc(2);
  alg.writeUInt16BE(pub.nameAlg);
  return Buffer.concat([alg, createHash(tpmHash(pub.nameAlg).name).update(pub.tpmtPublic).digest()]);
}
