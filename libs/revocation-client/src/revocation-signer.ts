import { KeyObject, sign } from 'node:crypto';
import {
  eventSigningInput,
  RevocationEvent,
  RevocationSignature,
  SignedRevocationEvent,
  SnapshotPage,
  snapshotPageSigningInput,
} from '@iis/contracts';

/**
 * Signs revocation events and snapshot pages with the revocation signing key (ECDSA P-256,
 * node:crypto, r||s encoding). The certificate travels with each signature so an agent needs
 * nothing but its CA bundle to check it. Nest-free: the key and clock are given.
 */
export class RevocationSigner {
  constructor(
    private readonly key: KeyObject,
    /** base64 DER of the rev-signer certificate for `key`. */
    readonly certificate: string,
    private readonly now: () => Date,
  ) {}

  signEvent(event: RevocationEvent): SignedRevocationEvent {
    return { ...event, signature: this.signature((signedAt) => eventSigningInput(event, signedAt)) };
  }

  signPage(page: Omit<SnapshotPage, 'signature'>): SnapshotPage {
    return { ...page, signature: this.signature((signedAt) => snapshotPageSigningInput(page, signedAt)) };
  }

  private signature(input: (signedAt: string) => Uint8Array): RevocationSignature {
    const signedAt = this.now().toISOString();
    // FIPS 186-5 ECDSA with SHA-256; ieee-p1363 gives the fixed 64-byte r||s form.
    const value = sign('sha256', input(signedAt), { key: this.key, dsaEncoding: 'ieee-p1363' }).toString('base64');
    return { alg: 'ES256', signedAt, signer: this.certificate, value };
  }
}
