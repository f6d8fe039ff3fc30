import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Signs results as compact JWS (RFC 7515 §7.1) with ES256 (RFC 7518 §3.4: r‖s, not DER).
 * The key is made at first start and kept in the data folder, readable by the service only.
 */
export class ResultSigner {
  private constructor(
    private readonly key: KeyObject,
    readonly keyId: string,
  ) {}

  static fromFile(file: string): ResultSigner {
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
    return ResultSigner.of(createPrivateKey(fs.readFileSync(file)));
  }

  static of(key: KeyObject): ResultSigner {
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return new ResultSigner(key, createHash('sha256').update(spki).digest('base64url').slice(0, 16));
  }

  /** The public key as a JWK, for anyone who checks a token offline. */
  publicJwk(): JsonWebKey {
    return { ...createPublicKey(this.key).export({ format: 'jwk' }), kid: this.keyId, alg: 'ES256', use: 'sig' } as JsonWebKey;
  }

  sign(payload: object): string {
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: this.keyId })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${header}.${body}.${signature.toString('base64url')}`;
  }
}
