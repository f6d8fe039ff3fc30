import { content, readWhole } from './der';
import { parseCsr, ParsedCsr, PublicKeyName } from './csr-fast';
import { PkiError, PkiErrorCode } from './pki.errors';

/** A device's PKCS#10 request, verified (node:crypto) and read once for everything the EST edge checks. */
export interface DeviceCsr extends ParsedCsr {
  /** "ECDSA P-256", "ECDSA P-384", "RSA <bits>" or "Ed25519". */
  keyDescription: string;
  /** The challengePassword attribute (RFC 2985 5.4.1), or null when the request has none. */
  challengePassword: string | null;
}

const CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';

/** Key types a device may hold. RFC 5480 curves P-256 and P-384 only; RSA below 2048 bits is refused. */
export function describeDeviceKey(keyName: PublicKeyName, keyBits: number): string {
  if (keyName === 'P-256' || keyName === 'P-384') return `ECDSA ${keyName}`;
  if (keyName === 'Ed25519') return 'Ed25519';
  if (keyName.startsWith('RSA-')) {
    if (keyBits < 2048) throw new PkiError(PkiErrorCode.WeakKey, `RSA key of ${keyBits} bits is too weak (at least 2048)`);
    return `RSA ${keyBits}`;
  }
  throw new PkiError(PkiErrorCode.UnsupportedKey, `EC curve ${keyName} is not accepted (P-256 or P-384)`);
}

/** X.520 DirectoryString: the string types a challengePassword may use. */
function directoryString(value: Buffer): string {
  const t = readWhole(value, value[0], 'DirectoryString');
  const body = content(value, t);
  switch (t.tag) {
    case 0x0c: // UTF8String
      return body.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString, read as Latin-1 like most implementations
      return body.toString('latin1');
    case 0x1e: // BMPString: UTF-16BE
      if (body.length % 2) break;
      return Buffer.from(body).swap16().toString('utf16le');
    case 0x1c: // UniversalString: UTF-32BE
      if (body.length % 4) break;
      return String.fromCodePoint(...Array.from({ length: body.length / 4 }, (_v, i) => body.readUInt32BE(i * 4)));
  }
  throw new Error('not a DirectoryString');
}

function challengePasswordOf(csr: ParsedCsr): string | null {
  const attr = csr.attributes.find((a) => a.oid === CHALLENGE_PASSWORD);
  if (!attr) return null;
  try {
    if (attr.values.length !== 1) throw new Error('one value expected');
    return directoryString(attr.values[0]);
  } catch {
    throw new PkiError(PkiErrorCode.NotACsr, 'the CSR challengePassword attribute is malformed');
  }
}

/**
 * Parses a device's CSR once: structure, self-signature (proof of possession), no CA:true, no
 * unknown critical extension (parseCsr), then the device key rules and the challengePassword.
 */
export function verifyDeviceCsr(der: Buffer): DeviceCsr {
  const csr = parseCsr(der);
  return { ...csr, keyDescription: describeDeviceKey(csr.keyName, csr.keyBits), challengePassword: challengePasswordOf(csr) };
}
