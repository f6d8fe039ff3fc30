import { x509 } from './crypto-provider';
import { KeyAlgorithmName, signingAlgorithm } from './keys';

/** Builds a PKCS#10 request for a key the suite holds itself (its own TLS listeners). */
export async function createCsr(keys: CryptoKeyPair, commonName: string, alg: KeyAlgorithmName = 'P-256'): Promise<Buffer> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: signingAlgorithm(alg),
  });
  return Buffer.from(csr.rawData);
}
