import { isIPv4, isIPv6 } from 'node:net';
import { bitString, bool, children, content, decodeOid, explicit, ia5, integerFromHex, octetString, oid, raw, readWhole, seq, set, time, tlv, tlvOf, utf8 } from './der';
import { PkiError, PkiErrorCode } from './pki.errors';
import { keyIdentifierFromSpki, Signer } from './signer';

export const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  deltaCrlIndicator: '2.5.29.27',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** RFC 5280 4.1: Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octetString(value)) : seq(oid(id), octetString(value));
}

/** A Name of single-attribute RDNs, UTF8String values (RFC 5280 4.1.2.4). */
export function encodeName(attrs: Array<[string, string]>): Buffer {
  return seq(...attrs.map(([type, value]) => set(seq(oid(type), utf8(value)))));
}

/** KeyUsage bits, RFC 5280 4.2.1.3; DER drops trailing zero bits. */
export const KeyUsage = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;
export function keyUsageValue(bits: number[]): Buffer {
  let v = 0;
  for (const b of bits) v |= 1 << (15 - b);
  const bytes = v & 0xff ? [v >> 8, v & 0xff] : [v >> 8];
  const last = bytes[bytes.length - 1];
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, ...bytes]));
}

export function basicConstraintsValue(ca: boolean, pathLen?: number): Buffer {
  if (!ca) return seq();
  return pathLen === undefined ? seq(bool(true)) : seq(bool(true), tlv(0x02, Buffer.from([pathLen])));
}

export function ekuValue(oids: string[]): Buffer {
  return seq(...oids.map((o) => oid(o)));
}

export function akiValue(keyId: Buffer): Buffer {
  return seq(tlv(0x80, keyId));
}

/** CRLDistributionPoints with one fullName URI per point (RFC 5280 4.2.1.13). */
export function crlDpValue(urls: string[]): Buffer {
  return seq(...urls.map((u) => seq(explicit(0, tlv(0xa0, tlv(0x86, Buffer.from(u, 'ascii')))))));
}

export function aiaValue(urls: { ocsp?: string; caIssuers?: string }): Buffer {
  const ads: Buffer[] = [];
  if (urls.ocsp) ads.push(seq(oid(OID.ocsp), tlv(0x86, Buffer.from(urls.ocsp, 'ascii'))));
  if (urls.caIssuers) ads.push(seq(oid(OID.caIssuers), tlv(0x86, Buffer.from(urls.caIssuers, 'ascii'))));
  return seq(...ads);
}

export function ipAddressBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (isIPv6(ip)) {
    let s = ip;
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (v4) {
      const b = v4[1].split('.').map(Number);
      s = s.slice(0, -v4[1].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
    }
    const [head, tail] = s.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
  }
  throw new PkiError(PkiErrorCode.NotDer, `"${ip}" is not an IP address`);
}

/** SubjectAltName: URIs [6], DNS names [2], IP addresses [7] (RFC 5280 4.2.1.6). */
export function sanValue(names: { uris?: string[]; dnsNames?: string[]; ipAddresses?: string[] }): Buffer {
  return seq(
    ...(names.uris ?? []).map((u) => tlv(0x86, Buffer.from(u, 'ascii'))),
    ...(names.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...(names.ipAddresses ?? []).map((ip) => tlv(0x87, ipAddressBytes(ip))),
  );
}

/** What a CA certificate tells its issued certificates: its subject Name and key identifier. */
export interface IssuerInfo {
  /** DER Name, byte for byte the issuer's subject (RFC 5280 4.1.2.4 name chaining). */
  subject: Buffer;
  keyId: Buffer;
  spki: Buffer;
  notAfter: Date;
}

export function issuerInfo(certDer: Buffer): IssuerInfo {
  const cert = readWhole(certDer, 0x30, 'certificate');
  const [tbs] = children(certDer, cert, 'certificate');
  const f = children(certDer, tbs, 'TBSCertificate');
  const i = f[0].tag === 0xa0 ? 1 : 0;
  const validity = children(certDer, f[i + 3]);
  const subject = Buffer.from(raw(certDer, f[i + 4]));
  const spki = Buffer.from(raw(certDer, f[i + 5]));
  let keyId: Buffer | undefined;
  const extsWrap = f.find((t) => t.tag === 0xa3);
  if (extsWrap) {
    const [exts] = children(certDer, extsWrap);
    for (const e of children(certDer, exts)) {
      const parts = children(certDer, e);
      if (decodeOid(content(certDer, parts[0])) === OID.subjectKeyIdentifier) {
        const v = content(certDer, parts[parts.length - 1]);
        const inner = readWhole(Buffer.from(v), 0x04, 'SKI');
        keyId = Buffer.from(v.subarray(inner.contentStart, inner.end));
      }
    }
  }
  return { subject, keyId: keyId ?? keyIdentifierFromSpki(spki), spki, notAfter: parseTime(content(certDer, validity[1]).toString('ascii')) };
}

function parseTime(s: string): Date {
  const full = s.length === 13 ? (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s : s;
  return new Date(Date.UTC(+full.slice(0, 4), +full.slice(4, 6) - 1, +full.slice(6, 8), +full.slice(8, 10), +full.slice(10, 12), +full.slice(12, 14)));
}

export interface CertificateFields {
  serialHex: string;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  /** Encoded Extension values (see `extension`). */
  extensions: Buffer[];
}

const VERSION_3 = explicit(0, Buffer.from([0x02, 0x01, 0x02]));

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 4.1). */
export function signCertificate(fields: CertificateFields, signer: Signer): Buffer {
  const tbs = seq(
    VERSION_3,
    integerFromHex(fields.serialHex),
    signer.algorithmIdentifier,
    fields.issuer,
    seq(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.spki,
    explicit(3, seq(...fields.extensions)),
  );
  return seq(tbs, signer.algorithmIdentifier, bitString(signer.sign(tbs)));
}

import { LeafUsage, REVOCATION_SIGNER_EKU } from './leaf-certificate';

/** RFC 5280 4.2.1.12: the one KeyPurposeId of each leaf usage. */
const LEAF_EKU: Record<LeafUsage, string> = { clientAuth: OID.clientAuth, serverAuth: OID.serverAuth, revocationSigner: REVOCATION_SIGNER_EKU };

export interface LeafTemplateParams {
  issuerCertificate: Buffer;
  signer: Signer;
  usage: LeafUsage;
  urls: { crl: string; ocsp?: string; caIssuers: string };
}

export interface LeafFields {
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** Subject attributes from the registry identity, never from the CSR. */
  commonName: string;
  organization?: string;
  uris?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** DER SubjectPublicKeyInfo from the verified CSR. */
  spki: Buffer;
}

/**
 * The issuing hot path: every byte that is the same for all certificates of one issuer and
 * usage is encoded once; per certificate only serial, validity, subject, key, SKI and SAN are
 * encoded and spliced in, then the TBSCertificate is signed once.
 */
export class LeafTemplate {
  private readonly version = VERSION_3;
  private readonly issuer: IssuerInfo;
  private readonly fixedExtensions: Buffer;
  private readonly algId: Buffer;

  constructor(private readonly p: LeafTemplateParams) {
    this.issuer = issuerInfo(p.issuerCertificate);
    this.algId = p.signer.algorithmIdentifier;
    this.fixedExtensions = Buffer.concat([
      extension(OID.basicConstraints, true, basicConstraintsValue(false)),
      // RFC 5280 4.2.1.3: an end-entity key signs (TLS 1.3 / ECDHE need nothing else).
      extension(OID.keyUsage, true, keyUsageValue([KeyUsage.digitalSignature])),
      extension(OID.extKeyUsage, false, ekuValue([LEAF_EKU[p.usage]])),
      extension(OID.authorityKeyIdentifier, false, akiValue(this.issuer.keyId)),
      extension(OID.crlDistributionPoints, false, crlDpValue([p.urls.crl])),
      extension(OID.authorityInfoAccess, false, aiaValue(p.urls)),
    ]);
  }

  get issuerNotAfter(): Date {
    return this.issuer.notAfter;
  }

  /** The DER TBSCertificate for these fields (exposed for known-answer tests). */
  tbs(f: LeafFields): Buffer {
    const subjectAttrs: Array<[string, string]> = f.organization ? [[OID.organization, f.organization], [OID.commonName, f.commonName]] : [[OID.commonName, f.commonName]];
    const exts: Buffer[] = [this.fixedExtensions, extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifierFromSpki(f.spki)))];
    // RFC 5280 4.2.1.6: the SAN is critical only when the subject is empty; ours never is.
    if (f.uris?.length || f.dnsNames?.length || f.ipAddresses?.length) exts.push(extension(OID.subjectAltName, false, sanValue(f)));
    return seq(
      this.version,
      integerFromHex(f.serialHex),
      this.algId,
      this.issuer.subject,
      seq(time(f.notBefore), time(f.notAfter)),
      encodeName(subjectAttrs),
      f.spki,
      tlvOf(0xa3, [tlvOf(0x30, exts)]),
    );
  }

  issue(f: LeafFields): Buffer {
    const tbs = this.tbs(f);
    return seq(tbs, this.algId, bitString(this.p.signer.sign(tbs)));
  }
}
