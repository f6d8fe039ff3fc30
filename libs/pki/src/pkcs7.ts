import { bytes, x509 } from './crypto-provider';

/**
 * RFC 7030 4.1.3 / 4.2.3: a "certs-only" CMC Simple PKI Response, i.e. a CMS SignedData
 * with certificates and no signers. @peculiar/x509 emits exactly that for a raw export.
 */
export function certsOnlyPkcs7(certificatesDer: Buffer[]): Buffer {
  const bag = new x509.X509Certificates(certificatesDer.map((der) => new x509.X509Certificate(bytes(der))));
  return Buffer.from(bag.export('raw'));
}

/**
 * Base64 with a line break every 64 characters. RFC 8951 says clients must accept any
 * line breaks; LF keeps `base64 -d` and `openssl base64 -d` happy.
 */
export function base64Lines(der: Buffer): string {
  return (der.toString('base64').match(/.{1,64}/g) ?? []).join('\n') + '\n';
}

export function toPem(der: Buffer, label: 'CERTIFICATE' | 'X509 CRL'): string {
  return `-----BEGIN ${label}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}
