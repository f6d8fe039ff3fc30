import { KeyObject, sign } from 'node:crypto';
import {
  eventSigningInput,
  RevocationEvent,
  RevocationSignature,
  RevocationSignatureAlgorithm,
  SignedRevocationEvent,
  SnapshotPage,
  snapshotPageSigningInput,
} from '@iis/contracts';
import { SignatureScheme, signatureScheme } from './signature-scheme';

/**
 * Signs revocation events and snapshot pages with the revocation signing key, by its type:
 * RSA (at least 2048 bits) signs PS256, ECDSA P-256 signs ES256 (RevocationSignatureAlgorithm).
 * The certificate travels with each signature so an agent needs nothing but its CA bundle to
 * check it. Nest-free: the key and clock are given.
 */
export class RevocationSigner {
  private readonly scheme: SignatureScheme;

  constructor(
    key: KeyObject,
    /** base64 DER of the rev-signer certificate for `key`. */
    readonly certificate: string,
    private readonly now: () => Date,
  ) {
    const scheme = signatureScheme(key);
    if ('refused' in scheme) throw new Error(`cannot sign revocations: ${scheme.refused}`);
    this.scheme = scheme;
  }

  get alg(): RevocationSignatureAlgorithm {
    return this.scheme.alg;
  }

  signEvent(event: RevocationEvent): SignedRevocationEvent {
    return { ...event, signature: this.signature((signedAt) => eventSigningInput(event, signedAt)) };
  }

  signPage(page: Omit<SnapshotPage, 'signature'>): SnapshotPage {
    return { ...page, signature: this.signature((signedAt) => snapshotPageSigningInput(page, signedAt)) };
  }

  private signature(input: (signedAt: string) => Uint8Array): RevocationSignature {
    const signedAt = this.now().toISOString();
    const value = sign('sha256', input(signedAt), this.scheme.keyInput).toString('base64');
    return { alg: this.scheme.alg, signedAt, signer: this.certificate, value };
  }
}
