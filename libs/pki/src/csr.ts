import { bytes, x509 } from './crypto-provider';
import { KNOWN_EXTENSIONS } from './csr-fast';
import { describeDeviceKey } from './device-csr';
import { PkiError, PkiErrorCode } from './pki.errors';

/** A CSR that was parsed and whose self-signature verified: proof of key possession, nothing more. */
export interface VerifiedCsr {
  der: Buffer;
  publicKey: x509.PublicKey;
  keyDescription: string;
  /** As sent; the CA never copies it into a certificate. */
  requestedSubject: string;
}

/** The device key rules (describeDeviceKey) applied to a WebCrypto key algorithm. */
function describeKey(alg: KeyAlgorithm & { namedCurve?: string; modulusLength?: number }): string {
  switch (alg.name) {
    case 'ECDSA':
      return describeDeviceKey(alg.namedCurve ?? 'unknown', 0);
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
      return describeDeviceKey(`RSA-${alg.modulusLength}`, alg.modulusLength ?? 0);
    case 'Ed25519':
      return 'Ed25519';
    default:
      throw new PkiError(PkiErrorCode.UnsupportedKey, `key algorithm ${alg.name} is not accepted`);
  }
}

export async function verifyCsr(der: Buffer): Promise<VerifiedCsr> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(bytes(der));
  } catch {
    throw new PkiError(PkiErrorCode.NotACsr, 'body is not a DER-encoded PKCS#10 certification request');
  }
  let alg: KeyAlgorithm;
  try {
    alg = csr.publicKey.algorithm;
  } catch {
    throw new PkiError(PkiErrorCode.UnsupportedKey, 'the CSR public key uses an algorithm or curve that is not accepted');
  }
  const keyDescription = describeKey(alg);

  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new PkiError(PkiErrorCode.BadSignature, 'the CSR signature does not verify with its own public key');

  for (const ext of csr.extensions) {
    if (ext.type === '2.5.29.19' && new x509.BasicConstraintsExtension(ext.rawData).ca) {
      throw new PkiError(PkiErrorCode.CaRequested, 'the CSR asks for a CA certificate (basicConstraints cA=TRUE)');
    }
    if (ext.critical && !KNOWN_EXTENSIONS.has(ext.type)) {
      throw new PkiError(PkiErrorCode.UnknownCriticalExtension, `the CSR carries an unknown critical extension ${ext.type}`);
    }
  }
  return { der, publicKey: csr.publicKey, keyDescription, requestedSubject: csr.subject };
}
