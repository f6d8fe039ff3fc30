import { createHash, randomBytes } from 'node:crypto';
import type * as Pkcs11Js from 'pkcs11js';
import { bitString, integerFromBytes, oid, readTlv, seq } from './der';
import { PkiError, PkiErrorCode } from './pki.errors';
import { CaKeyAlgorithm, signatureAlgorithmIdentifier, Signer } from './signer';

export interface Pkcs11Settings {
  /** Path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  tokenLabel: string;
  pin: string;
}

const CURVES: Partial<Record<CaKeyAlgorithm, { oid: string; size: number; hash: string }>> = {
  'P-256': { oid: '1.2.840.10045.3.1.7', size: 32, hash: 'sha256' },
  'P-384': { oid: '1.3.132.0.34', size: 48, hash: 'sha384' },
};

/**
 * A PKCS#11 token session (SoftHSM2 in tests, an HSM in production). Keys are generated
 * inside the token as sensitive and non-extractable: the private key never leaves it, the
 * CA only ever asks the token to sign a digest (CKM_ECDSA).
 */
export class Pkcs11Token {
  private readonly p11: Pkcs11Js.PKCS11;
  private readonly session: Buffer;
  private readonly lib: typeof Pkcs11Js;

  private constructor(settings: Pkcs11Settings) {
    // Loaded only when a token is configured, so the native module is never needed otherwise.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.lib = require('pkcs11js') as typeof Pkcs11Js;
    this.p11 = new this.lib.PKCS11();
    try {
      this.p11.load(settings.module);
      try {
        this.p11.C_Initialize();
      } catch (e) {
        if (!/ALREADY_INITIALIZED/.test((e as Error).message)) throw e;
      }
    } catch (e) {
      throw new PkiError(PkiErrorCode.UnsupportedKey, `cannot load the PKCS#11 module ${settings.module}: ${(e as Error).message}`);
    }
    const slot = this.p11.C_GetSlotList(true).find((s) => this.p11.C_GetTokenInfo(s).label.trim() === settings.tokenLabel);
    if (!slot) throw new PkiError(PkiErrorCode.UnsupportedKey, `no PKCS#11 token labelled "${settings.tokenLabel}" in ${settings.module}`);
    this.session = this.p11.C_OpenSession(slot, this.lib.CKF_SERIAL_SESSION | this.lib.CKF_RW_SESSION);
    try {
      this.p11.C_Login(this.session, this.lib.CKU_USER, settings.pin);
    } catch (e) {
      if (!/ALREADY_LOGGED_IN/.test((e as Error).message)) throw new PkiError(PkiErrorCode.BadKeyPassphrase, `PKCS#11 login to token "${settings.tokenLabel}" failed: wrong PIN?`);
    }
  }

  static open(settings: Pkcs11Settings): Pkcs11Token {
    return new Pkcs11Token(settings);
  }

  /** A new EC key pair in the token; returns the hex CKA_ID that names it. */
  generate(alg: CaKeyAlgorithm, label: string): string {
    const curve = CURVES[alg];
    if (!curve) throw new PkiError(PkiErrorCode.UnsupportedKey, `PKCS#11 keys are P-256 or P-384, not ${alg}`);
    const L = this.lib;
    const id = randomBytes(16);
    this.p11.C_GenerateKeyPair(
      this.session,
      { mechanism: L.CKM_EC_KEY_PAIR_GEN, parameter: null as unknown as Buffer },
      [
        { type: L.CKA_TOKEN, value: true },
        { type: L.CKA_VERIFY, value: true },
        { type: L.CKA_EC_PARAMS, value: oid(curve.oid) },
        { type: L.CKA_ID, value: id },
        { type: L.CKA_LABEL, value: label },
      ],
      [
        { type: L.CKA_TOKEN, value: true },
        { type: L.CKA_PRIVATE, value: true },
        { type: L.CKA_SIGN, value: true },
        { type: L.CKA_SENSITIVE, value: true },
        { type: L.CKA_EXTRACTABLE, value: false },
        { type: L.CKA_ID, value: id },
        { type: L.CKA_LABEL, value: label },
      ],
    );
    return id.toString('hex');
  }

  private find(cls: number, idHex: string): Buffer {
    this.p11.C_FindObjectsInit(this.session, [
      { type: this.lib.CKA_CLASS, value: cls },
      { type: this.lib.CKA_ID, value: Buffer.from(idHex, 'hex') },
    ]);
    const h = this.p11.C_FindObjects(this.session);
    this.p11.C_FindObjectsFinal(this.session);
    if (!h) throw new PkiError(PkiErrorCode.UnsupportedKey, `no PKCS#11 key with id ${idHex} in the token`);
    return h;
  }

  /** Reads a private key attribute (tests use it to show the key is sensitive and not extractable). */
  privateKeyFlags(idHex: string): { sensitive: boolean; extractable: boolean } {
    const h = this.find(this.lib.CKO_PRIVATE_KEY, idHex);
    const [s, x] = this.p11.C_GetAttributeValue(this.session, h, [{ type: this.lib.CKA_SENSITIVE }, { type: this.lib.CKA_EXTRACTABLE }]);
    return { sensitive: (s.value as Buffer)[0] === 1, extractable: (x.value as Buffer)[0] === 1 };
  }

  /** Tries to read the private value; a correct token refuses. */
  tryReadPrivateValue(idHex: string): Buffer | null {
    try {
      const h = this.find(this.lib.CKO_PRIVATE_KEY, idHex);
      const [v] = this.p11.C_GetAttributeValue(this.session, h, [{ type: this.lib.CKA_VALUE }]);
      return (v.value as Buffer) ?? null;
    } catch {
      return null;
    }
  }

  signer(alg: CaKeyAlgorithm, idHex: string): Signer {
    const curve = CURVES[alg];
    if (!curve) throw new PkiError(PkiErrorCode.UnsupportedKey, `PKCS#11 keys are P-256 or P-384, not ${alg}`);
    const priv = this.find(this.lib.CKO_PRIVATE_KEY, idHex);
    const pub = this.find(this.lib.CKO_PUBLIC_KEY, idHex);
    const [pt] = this.p11.C_GetAttributeValue(this.session, pub, [{ type: this.lib.CKA_EC_POINT }]);
    // CKA_EC_POINT is the DER OCTET STRING around the uncompressed point.
    const raw = pt.value as Buffer;
    const t = readTlv(raw, 0);
    const point = raw[0] === 0x04 && t.end === raw.length ? raw.subarray(t.contentStart, t.end) : raw;
    const spki = seq(seq(oid('1.2.840.10045.2.1'), oid(curve.oid)), bitString(Buffer.from(point)));
    const out = Buffer.alloc(curve.size * 2);
    return {
      algorithm: alg,
      algorithmIdentifier: signatureAlgorithmIdentifier(alg),
      spki,
      sign: (data: Buffer) => {
        const digest = createHash(curve.hash).update(data).digest();
        this.p11.C_SignInit(this.session, { mechanism: this.lib.CKM_ECDSA, parameter: null as unknown as Buffer }, priv);
        const rs = this.p11.C_Sign(this.session, digest, out);
        // PKCS#11 returns r || s; X.509 wants ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }.
        return seq(integerFromBytes(Buffer.from(rs.subarray(0, curve.size))), integerFromBytes(Buffer.from(rs.subarray(curve.size))));
      },
    };
  }

  close(): void {
    try {
      this.p11.C_Logout(this.session);
      this.p11.C_CloseSession(this.session);
      this.p11.C_Finalize();
    } catch {
      /* closing is best effort */
    }
  }
}
