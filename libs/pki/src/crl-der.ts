import { akiValue, crlDpValue, extension, IssuerInfo, OID } from './cert-template';
import { bitString, enumerated, explicit, integer, integerFromHex, seq, time, tlvOf } from './der';
import { Signer } from './signer';

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
  /** RFC 5280 5.3.1 CRLReason; 0 (unspecified) is written as no reasonCode at all. */
  reasonCode: number;
}

export interface CrlSpec {
  issuer: IssuerInfo;
  signer: Signer;
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: RevokedEntry[];
  /** Makes this a delta CRL (RFC 5280 5.2.4) over the complete CRL with this number. */
  deltaBaseCrlNumber?: number;
  /** On a complete CRL: where its delta CRLs are (freshestCRL, RFC 5280 5.2.6). */
  freshestCrlUrl?: string;
}

const REASON_EXT: Buffer[] = Array.from({ length: 11 }, (_v, r) => seq(extension(OID.reasonCode, false, enumerated(r))));

/**
 * CertificateList (RFC 5280 5.1), v2, encoded directly: 100,000 entries take well under a
 * second. Entries are written in the order given.
 */
export function buildCrlDer(s: CrlSpec): Buffer {
  const timeCache = new Map<number, Buffer>();
  const t = (d: Date) => {
    const k = Math.floor(d.getTime() / 1000);
    let v = timeCache.get(k);
    if (!v) timeCache.set(k, (v = time(d)));
    return v;
  };
  const entries = s.entries.map((e) => {
    const parts = [integerFromHex(e.serialHex), t(e.revokedAt)];
    if (e.reasonCode > 0 && e.reasonCode < REASON_EXT.length && e.reasonCode !== 7) parts.push(REASON_EXT[e.reasonCode]);
    return tlvOf(0x30, parts);
  });
  const exts = [
    // RFC 5280 5.2.1 and 5.2.3: AKI and a monotonically increasing cRLNumber in every CRL.
    extension(OID.authorityKeyIdentifier, false, akiValue(s.issuer.keyId)),
    extension(OID.crlNumber, false, integer(s.crlNumber)),
  ];
  // RFC 5280 5.2.4: the delta CRL indicator is critical.
  if (s.deltaBaseCrlNumber !== undefined) exts.push(extension(OID.deltaCrlIndicator, true, integer(s.deltaBaseCrlNumber)));
  if (s.freshestCrlUrl) exts.push(extension(OID.freshestCrl, false, crlDpValue([s.freshestCrlUrl])));
  const tbsParts = [
    Buffer.from([0x02, 0x01, 0x01]), // v2
    s.signer.algorithmIdentifier,
    s.issuer.subject,
    time(s.thisUpdate),
    time(s.nextUpdate),
  ];
  // RFC 5280 5.1.2.6: an empty list is left out, not written as an empty SEQUENCE.
  if (entries.length > 0) tbsParts.push(tlvOf(0x30, entries));
  tbsParts.push(explicit(0, seq(...exts)));
  const tbs = tlvOf(0x30, tbsParts);
  return seq(tbs, s.signer.algorithmIdentifier, bitString(s.signer.sign(tbs)));
}
