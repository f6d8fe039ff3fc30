import { constants, createCipheriv, createHmac, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { AttestationError, AttestationReason } from '../attestation.errors';
import { kdfa } from './kdfa';
import { kdfe } from './kdfe';
import { TpmAlg, tpmHash } from './tpm-constants';
import type { TpmPublic } from './tpm2b-public';

export interface MadeCredential {
  /** TPM2B_ID_OBJECT: integrity HMAC and the encrypted credential. */
  credentialBlob: Buffer;
  /** TPM2B_ENCRYPTED_SECRET: the seed, encrypted to the EK. */
  secret: Buffer;
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const tpm2b = (b: Buffer) => Buffer.concat([u16(b.length), b]);

/**
 * TPM2_MakeCredential done outside the TPM (TPM 2.0 Part 1 §24 "Credential Protection",
 * Part 3 §12.6), for an RSA or ECC EK: the TPM that holds the EK will release `credential` only
 * for the object named `akName` (ActivateCredential). The seed is shared with the EK (Part 1
 * Annex B.10.3 / C.6.4, label "IDENTITY"); symKey = KDFa(seed, "STORAGE", name), HMAC key =
 * KDFa(seed, "INTEGRITY"); the credential is AES-CFB encrypted with a zero IV.
 */
export function makeCredential(ek: TpmPublic, akName: Buffer, credential: Buffer, random: (n: number) => Buffer = randomBytes): MadeCredential {
  if (!ek.symmetric || ek.symmetric.alg !== TpmAlg.AES || ek.symmetric.mode !== TpmAlg.CFB) throw new AttestationError(AttestationReason.Unsupported, 'the EK is not a storage key with AES-CFB');
  const hash = tpmHash(ek.nameAlg);
  if (credential.length > hash.size) throw new AttestationError(AttestationReason.BadEvidence, `a credential holds at most ${hash.size} bytes`);
  const { seed, encryptedSeed } = ek.type === TpmAlg.RSA ? rsaSeed(ek, random) : eccSeed(ek);
  const symKey = kdfa(ek.nameAlg, seed, 'STORAGE', akName, Buffer.alloc(0), ek.symmetric.keyBits);
  const cipher = createCipheriv(`aes-${ek.symmetric.keyBits}-cfb`, symKey, Buffer.alloc(16));
  const encIdentity = Buffer.concat([cipher.update(tpm2b(credential)), cipher.final()]);
  const hmacKey = kdfa(ek.nameAlg, seed, 'INTEGRITY', Buffer.alloc(0), Buffer.alloc(0), hash.size * 8);
  const integrity = createHmac(hash.name, hmacKey).update(encIdentity).update(akName).digest();
  return { credentialBlob: tpm2b(Buffer.concat([tpm2b(integrity), encIdentity])), secret: tpm2b(encryptedSeed) };
}

/** Part 1 §B.10.3: a random seed, RSA-OAEP encrypted with the EK's nameAlg and the label "IDENTITY" including its zero octet. */
function rsaSeed(ek: TpmPublic, random: (n: number) => Buffer): { seed: Buffer; encryptedSeed: Buffer } {
  const hash = tpmHash(ek.nameAlg);
  const seed = random(hash.size);
  const encryptedSeed = publicEncrypt({ key: ek.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash.name, oaepLabel: Buffer.from('IDENTITY\0', 'ascii') }, seed);
  return { seed, encryptedSeed };
}

/**
 * Part 1 §C.6.4 (ECDH secret sharing): an ephemeral key on the EK's curve; Z = the x-coordinate
 * of its ECDH product with the EK; seed = KDFe(nameAlg, Z, "IDENTITY", ephemeral.x, EK.x). The
 * TPM recomputes Z from the ephemeral point, sent as the TPMS_ECC_POINT {x, y}.
 */
function eccSeed(ek: TpmPublic): { seed: Buffer; encryptedSeed: Buffer } {
  const bytes = ek.eccBytes!;
  const coordinate = (b64url: string | undefined) => {
    const b = Buffer.from(b64url ?? '', 'base64url');
    return Buffer.concat([Buffer.alloc(bytes - b.length), b]);
  };
  const ephemeral = generateKeyPairSync('ec', { namedCurve: ek.keyDescription });
  const z = coordinate(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: ek.key }).toString('base64url'));
  const point = ephemeral.publicKey.export({ format: 'jwk' });
  const ekX = coordinate(ek.key.export({ format: 'jwk' }).x);
  const seed = kdfe(ek.nameAlg, z, 'IDENTITY', coordinate(point.x), ekX, tpmHash(ek.nameAlg).size * 8);
  return { seed, encryptedSeed: Buffer.concat([tpm2b(coordinate(point.x)), tpm2b(coordinate(point.y))]) };
}

/** The file tpm2_makecredential writes and tpm2_activatecredential -i reads (tpm2-tools 5). */
export function tpm2ToolsCredentialFile(c: MadeCredential): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0xbadcc0de, 0);
  header.writeUInt32BE(1, 4);
  return Buffer.concat([header, c.credentialBlob, c.secret]);
}
