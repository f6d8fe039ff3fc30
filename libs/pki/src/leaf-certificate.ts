import { x509 } from './crypto-provider';
import { KeyAlgorithmName, signingAlgorithm } from './keys';

/** revocationSigner: signs revocation events and snapshots (EKU REVOCATION_SIGNER_EKU_OID in @iis/contracts). */
export type LeafUsage = 'clientAuth' | 'serverAuth' | 'revocationSigner';

/** 2.25 + UUID cb1d0cea-e279-4992-8fc5-010010a1f720 (ITU-T X.667); the same value as @iis/contracts REVOCATION_SIGNER_EKU_OID. */
export const REVOCATION_SIGNER_EKU = '2.25.269984121751630944038735229412018616096';

export interface LeafCertificateParams {
  serialHex: string;
  /** The subject comes from the registry identity, never from the CSR. */
  commonName: string;
  organization?: string;
  uris?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  publicKey: x509.PublicKey;
  usage: LeafUsage;
  notBefore: Date;
  notAfter: Date;
  issuer: { certificate: x509.X509Certificate; key: CryptoKey; alg: KeyAlgorithmName };
  /** The OCSP URL is added once the CA runs a responder. */
  urls: { crl: string; ocsp?: string; caIssuers: string };
}

const EKU_OID: Record<LeafUsage, string> = {
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  revocationSigner: REVOCATION_SIGNER_EKU,
};

export async function buildLeafCertificate(p: LeafCertificateParams): Promise<x509.X509Certificate> {
  const names: x509.JsonGeneralNames = [
    ...(p.uris ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(p.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(p.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const subject: x509.JsonName = [...(p.organization ? [{ O: [p.organization] }] : []), { CN: [p.commonName] }];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // RFC 5280 4.2.1.3: an end-entity key signs; ECDSA TLS needs nothing else.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([EKU_OID[p.usage]], false),
    await x509.SubjectKeyIdentifierExtension.create(p.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(await p.issuer.certificate.publicKey.export()),
    new x509.CRLDistributionPointsExtension([p.urls.crl]),
    new x509.AuthorityInfoAccessExtension({ ...(p.urls.ocsp ? { ocsp: [p.urls.ocsp] } : {}), caIssuers: [p.urls.caIssuers] }),
  ];
  // RFC 5280 4.2.1.6: the SAN is critical only when the subject is empty; ours never is.
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return x509.X509CertificateGenerator.create({
    serialNumber: p.serialHex,
    subject,
    issuer: p.issuer.certificate.subjectName,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey: p.publicKey,
    signingKey: p.issuer.key,
    signingAlgorithm: signingAlgorithm(p.issuer.alg),
    extensions,
  });
}
