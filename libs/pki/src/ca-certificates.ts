import { x509 } from './crypto-provider';
import { KeyAlgorithmName, signingAlgorithm } from './keys';
import { randomSerialHex } from './serial';

export interface CaCertificateParams {
  commonName: string;
  organization: string;
  keys: CryptoKeyPair;
  alg: KeyAlgorithmName;
  notBefore: Date;
  notAfter: Date;
}

function caName(p: { commonName: string; organization: string }): x509.JsonName {
  return [{ O: [p.organization] }, { CN: [p.commonName] }];
}

/** RFC 5280 4.2.1.9 / 4.2.1.3: CA certificates carry critical basicConstraints and keyUsage. */
async function caExtensions(publicKey: CryptoKey, pathLength: number | undefined, issuerPublicKey: CryptoKey): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerPublicKey),
  ];
}

export async function createRootCertificate(p: CaCertificateParams): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: caName(p),
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    keys: p.keys,
    signingAlgorithm: signingAlgorithm(p.alg),
    extensions: await caExtensions(p.keys.publicKey, 1, p.keys.publicKey),
  });
}

export async function createIssuingCertificate(
  p: CaCertificateParams & { root: x509.X509Certificate; rootKey: CryptoKey; rootAlg: KeyAlgorithmName },
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: caName(p),
    issuer: p.root.subjectName,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey: p.keys.publicKey,
    signingKey: p.rootKey,
    signingAlgorithm: signingAlgorithm(p.rootAlg),
    extensions: await caExtensions(p.keys.publicKey, 0, await p.root.publicKey.export()),
  });
}
