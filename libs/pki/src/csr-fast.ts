import { createPublicKey, KeyObject, verify as nodeVerify } from 'node:crypto';
import { children, content, decodeOid, raw, readTlv, readWhole, Tlv } from './der';
import { uncompressedEcKey } from './ec-spki';
import { PkiError, PkiErrorCode } from './pki.errors';

/** Key types as the CA names them in profiles: 'P-256', 'P-384', 'P-521', 'Ed25519', 'RSA-<bits>'. */
export type PublicKeyName = string;

export interface CsrExtension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** RFC 2986 4.1 Attribute: its type and the DER of each value, undecoded. */
export interface CsrAttribute {
  oid: string;
  values: Buffer[];
}

/** A PKCS#10 request whose self-signature verified: proof of possession of `spki`, nothing else. */
export interface ParsedCsr {
  /** DER SubjectPublicKeyInfo exactly as sent; copied into the certificate unchanged. */
  spki: Buffer;
  keyName: PublicKeyName;
  /** RSA modulus length in bits, or the curve size for EC. */
  keyBits: number;
  extensions: CsrExtension[];
  /** Every attribute of the request (extensionRequest included), for callers that read one. */
  attributes: CsrAttribute[];
}

// RFC 5280 4.2 extensions a CSR may carry (keyUsage, subjectAltName, basicConstraints,
// extKeyUsage, subjectKeyIdentifier); anything else marked critical is refused.
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(['2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.37', '2.5.29.14']);

const CSR_SIG: Record<string, { digest: string | null; family: 'ec' | 'rsa' | 'ed25519' }> = {
  '1.2.840.10045.4.3.2': { digest: 'sha256', family: 'ec' },
  '1.2.840.10045.4.3.3': { digest: 'sha384', family: 'ec' },
  '1.2.840.10045.4.3.4': { digest: 'sha512', family: 'ec' },
  '1.2.840.113549.1.1.11': { digest: 'sha256', family: 'rsa' },
  '1.2.840.113549.1.1.12': { digest: 'sha384', family: 'rsa' },
  '1.2.840.113549.1.1.13': { digest: 'sha512', family: 'rsa' },
  '1.3.101.112': { digest: null, family: 'ed25519' },
};

const CURVES: Record<string, [PublicKeyName, number]> = { prime256v1: ['P-256', 256], secp384r1: ['P-384', 384], secp521r1: ['P-521', 521] };

function nameKey(key: KeyObject): { keyName: PublicKeyName; keyBits: number; family: 'ec' | 'rsa' | 'ed25519' } {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const c = CURVES[d.namedCurve ?? ''];
    if (!c) throw new PkiError(PkiErrorCode.UnsupportedKey, `EC curve ${d.namedCurve ?? 'unknown'} is not accepted`);
    return { keyName: c[0], keyBits: c[1], family: 'ec' };
  }
  if (key.asymmetricKeyType === 'rsa') return { keyName: `RSA-${d.modulusLength}`, keyBits: d.modulusLength ?? 0, family: 'rsa' };
  if (key.asymmetricKeyType === 'ed25519') return { keyName: 'Ed25519', keyBits: 256, family: 'ed25519' };
  throw new PkiError(PkiErrorCode.UnsupportedKey, `key algorithm ${key.asymmetricKeyType ?? 'unknown'} is not accepted`);
}

/**
 * Parses and verifies a DER PKCS#10 request (RFC 2986) with node:crypto, refusing CA:true
 * and unknown critical extensions. The requested subject and SANs are never returned: the
 * certificate's names come from the registry identity.
 */
export function parseCsr(der: Buffer): ParsedCsr {
  const notCsr = () => new PkiError(PkiErrorCode.NotACsr, 'body is not a DER-encoded PKCS#10 certification request');
  let cri: Tlv, sigAlg: Tlv, sig: Tlv, spkiT: Tlv, attrs: Tlv | undefined;
  try {
    const top = readWhole(der, 0x30, 'CSR');
    [cri, sigAlg, sig] = children(der, top, 'CSR');
    if (!cri || !sigAlg || !sig || cri.tag !== 0x30 || sigAlg.tag !== 0x30 || sig.tag !== 0x03) throw notCsr();
    const info = children(der, cri, 'CSR info');
    if (info.length < 3 || info[0].tag !== 0x02 || info[1].tag !== 0x30 || info[2].tag !== 0x30) throw notCsr();
    if (content(der, info[0]).length !== 1 || der[info[0].contentStart] !== 0) throw notCsr(); // RFC 2986: version 0
    spkiT = info[2];
    attrs = info[3]?.tag === 0xa0 ? info[3] : undefined;
  } catch (e) {
    if (e instanceof PkiError && e.code === PkiErrorCode.NotACsr) throw e;
    throw notCsr();
  }
  const spki = Buffer.from(raw(der, spkiT));
  let key: KeyObject;
  try {
    key = importSpki(spki);
  } catch {
    throw new PkiError(PkiErrorCode.UnsupportedKey, 'the CSR public key uses an algorithm or curve that is not accepted');
  }
  const { keyName, keyBits, family } = nameKey(key);

  const algOid = decodeOid(content(der, readTlv(der, sigAlg.contentStart, sigAlg.end)));
  const alg = CSR_SIG[algOid];
  if (!alg || alg.family !== family) throw new PkiError(PkiErrorCode.BadSignature, `CSR signature algorithm ${algOid} does not fit a ${keyName} key`);
  const sigBytes = der.subarray(sig.contentStart + 1, sig.end);
  let valid = false;
  try {
    valid = nodeVerify(alg.digest, raw(der, cri), family === 'ec' ? { key, dsaEncoding: 'der' } : key, sigBytes);
  } catch {
    valid = false;
  }
  if (!valid) throw new PkiError(PkiErrorCode.BadSignature, 'the CSR signature does not verify with its own public key');

  const attributes = attrs ? csrAttributes(der, attrs) : [];
  const extensions = extensionRequest(attributes);
  for (const ext of extensions) {
    if (ext.oid === '2.5.29.19' && basicConstraintsCa(ext.value)) {
      throw new PkiError(PkiErrorCode.CaRequested, 'the CSR asks for a CA certificate (basicConstraints cA=TRUE)');
    }
    if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) {
      throw new PkiError(PkiErrorCode.UnknownCriticalExtension, `the CSR carries an unknown critical extension ${ext.oid}`);
    }
  }
  return { spki, keyName, keyBits, extensions, attributes };
}

/**
 * SubjectPublicKeyInfo to a KeyObject. OpenSSL 3's DER decoder costs ~120 us per key; an
 * uncompressed EC point imported as JWK costs less than half, so EC keys take that road
 * (the point is still validated on the curve by OpenSSL). Everything else goes through DER.
 */
export function importSpki(spki: Buffer): KeyObject {
  const ec = uncompressedEcKey(spki);
  if (ec) return createPublicKey({ key: { kty: 'EC', crv: ec.jwkCurve, x: ec.x.toString('base64url'), y: ec.y.toString('base64url') }, format: 'jwk' });
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

function csrAttributes(der: Buffer, attrs: Tlv): CsrAttribute[] {
  try {
    const out: CsrAttribute[] = [];
    for (const attr of children(der, attrs, 'CSR attributes')) {
      const [type, values] = children(der, attr, 'CSR attribute');
      // Not an Attribute (RFC 2986 4.1) at all: skipped, as before attributes were returned.
      if (type?.tag !== 0x06 || !values) continue;
      const oid = decodeOid(content(der, type));
      const read = () => children(der, values, 'attribute values').map((v) => Buffer.from(raw(der, v)));
      if (oid === EXTENSION_REQUEST) {
        // Always read, and malformed is refused: the CA:true and critical-extension checks depend on it.
        out.push({ oid, values: read() });
        continue;
      }
      // Any other attribute this code cannot read is passed over, as it was before attributes were returned.
      try {
        if (values.tag === 0x31) out.push({ oid, values: read() });
      } catch {
        continue;
      }
    }
    return out;
  } catch {
    throw new PkiError(PkiErrorCode.NotACsr, 'the CSR attributes are malformed');
  }
}

function extensionRequest(attributes: CsrAttribute[]): CsrExtension[] {
  const out: CsrExtension[] = [];
  try {
    for (const attr of attributes) {
      if (attr.oid !== EXTENSION_REQUEST) continue;
      for (const exts of attr.values) {
        for (const ext of children(exts, readWhole(exts, 0x30, 'extensions'), 'extensions')) {
          const parts = children(exts, ext, 'extension');
          const critical = parts.length === 3 && parts[1].tag === 0x01 && exts[parts[1].contentStart] !== 0;
          const value = parts[parts.length - 1];
          if (parts[0].tag !== 0x06 || value.tag !== 0x04) throw new Error('bad extension');
          out.push({ oid: decodeOid(content(exts, parts[0])), critical, value: Buffer.from(content(exts, value)) });
        }
      }
    }
  } catch {
    throw new PkiError(PkiErrorCode.NotACsr, 'the CSR extension request is malformed');
  }
  return out;
}

function basicConstraintsCa(value: Buffer): boolean {
  const t = readTlv(value, 0);
  const first = t.contentStart < t.end ? readTlv(value, t.contentStart, t.end) : undefined;
  return !!first && first.tag === 0x01 && value[first.contentStart] !== 0;
}
