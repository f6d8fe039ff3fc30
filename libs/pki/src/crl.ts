import * as asn1js from 'asn1js';
import { x509 } from './crypto-provider';
import { KeyAlgorithmName, signingAlgorithm } from './keys';

export interface CrlEntry {
  serialHex: string;
  revokedAt: Date;
  reasonCode: number;
}

export interface CrlParams {
  issuer: { certificate: x509.X509Certificate; key: CryptoKey; alg: KeyAlgorithmName };
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}

const CRL_NUMBER_OID = '2.5.29.20';

/** RFC 5280 5.2.3: cRLNumber, non-critical, a monotonically increasing INTEGER. */
function crlNumberExtension(n: number): x509.Extension {
  return new x509.Extension(CRL_NUMBER_OID, false, new asn1js.Integer({ value: n }).toBER(false));
}

export async function buildCrl(p: CrlParams): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: p.issuer.certificate.subjectName,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    signingKey: p.issuer.key,
    signingAlgorithm: signingAlgorithm(p.issuer.alg),
    extensions: [
      // RFC 5280 5.2.1: conforming CRL issuers include the authority key identifier.
      await x509.AuthorityKeyIdentifierExtension.create(await p.issuer.certificate.publicKey.export()),
      crlNumberExtension(p.crlNumber),
    ],
    entries: p.entries.map((e) => ({
      serialNumber: e.serialHex,
      revocationDate: e.revokedAt,
      // RFC 5280 5.3.1: omit reasonCode rather than send unspecified (0).
      reason: e.reasonCode === 0 ? undefined : (e.reasonCode as x509.X509CrlReason),
    })),
  });
}
