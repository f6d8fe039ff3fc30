import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Node's WebCrypto backs @peculiar/x509 everywhere in the suite. */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const subtle = webcrypto.subtle as unknown as SubtleCrypto;
export { x509 };

/** A Node Buffer as the ArrayBuffer-backed view that @peculiar/x509's types ask for. */
export function bytes(buf: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buf);
}
