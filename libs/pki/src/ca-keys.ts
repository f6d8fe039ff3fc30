import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { basicConstraintsValue, akiValue, encodeName, extension, IssuerInfo, KeyUsage, keyUsageValue, OID, signCertificate, ekuValue } from './cert-template';
import { nullValue, octetString } from './der';
import { PkiError, PkiErrorCode } from './pki.errors';
import { randomSerialHex } from './serial';
import { CaKeyAlgorithm, keyIdentifierFromSpki, keyObjectSigner, Signer } from './signer';

export interface CaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateCaKey(alg: CaKeyAlgorithm): CaKeyPair {
  switch (alg) {
    case 'P-256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'P-384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'Ed25519':
      return generateKeyPairSync('ed25519');
    case 'RSA-2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'RSA-3072':
      return generateKeyPairSync('rsa', { modulusLength: 3072 });
  }
}

/**
 * PKCS#8 EncryptedPrivateKeyInfo with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC). The
 * passphrase never leaves this function and is never logged.
 */
export function encryptKeyObject(key: KeyObject, passphrase: string): string {
  return key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
}

export function decryptKeyObject(pem: string, passphrase: string): CaKeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    throw new PkiError(PkiErrorCode.BadKeyPassphrase, 'cannot decrypt the CA key: wrong passphrase or damaged key');
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export interface CaCertificateSpec {
  commonName: string;
  organization: string;
  notBefore: Date;
  notAfter: Date;
  /** The new CA's public key. */
  publicKey: KeyObject;
  /** basicConstraints pathLenConstraint: 1 for a root over issuing CAs, 0 for an issuing CA. */
  pathLen: number;
  /** Absent for a self-signed root. */
  issuer?: IssuerInfo;
  signer: Signer;
  serialHex?: string;
}

/** RFC 5280 4.2.1.9 / 4.2.1.3: CA certificates carry critical basicConstraints and keyUsage. */
export function buildCaCertificate(s: CaCertificateSpec): Buffer {
  const spki = s.publicKey.export({ format: 'der', type: 'spki' });
  const subject = encodeName([[OID.organization, s.organization], [OID.commonName, s.commonName]]);
  const ownKeyId = keyIdentifierFromSpki(spki);
  return signCertificate(
    {
      serialHex: s.serialHex ?? randomSerialHex(),
      issuer: s.issuer ? s.issuer.subject : subject,
      subject,
      notBefore: s.notBefore,
      notAfter: s.notAfter,
      spki,
      extensions: [
        extension(OID.basicConstraints, true, basicConstraintsValue(true, s.pathLen)),
        extension(OID.keyUsage, true, keyUsageValue([KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign])),
        extension(OID.subjectKeyIdentifier, false, octetString(ownKeyId)),
        extension(OID.authorityKeyIdentifier, false, akiValue(s.issuer ? s.issuer.keyId : ownKeyId)),
      ],
    },
    s.signer,
  );
}

/**
 * The delegated OCSP responder certificate (RFC 6960 4.2.2.2): issued by the CA it answers
 * for, EKU id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so clients need not check its status.
 */
export function buildOcspResponderCertificate(p: { issuer: IssuerInfo; signer: Signer; publicKey: KeyObject; commonName: string; organization: string; notBefore: Date; notAfter: Date }): Buffer {
  const spki = p.publicKey.export({ format: 'der', type: 'spki' });
  return signCertificate(
    {
      serialHex: randomSerialHex(),
      issuer: p.issuer.subject,
      subject: encodeName([[OID.organization, p.organization], [OID.commonName, p.commonName]]),
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      spki,
      extensions: [
        extension(OID.basicConstraints, true, basicConstraintsValue(false)),
        extension(OID.keyUsage, true, keyUsageValue([KeyUsage.digitalSignature])),
        extension(OID.extKeyUsage, false, ekuValue([OID.ocspSigning])),
        extension(OID.ocspNoCheck, false, nullValue()),
        extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifierFromSpki(spki))),
        extension(OID.authorityKeyIdentifier, false, akiValue(p.issuer.keyId)),
      ],
    },
    p.signer,
  );
}
