/**
 * RFC 7030 4.1.3 / 4.2.3 certs-only CMC Simple PKI Response, written straight from the
 * certificates' DER bytes: ContentInfo { signedData, SignedData { version 1, no digest
 * algorithms, encapContentInfo id-data (empty), certificates [0], no signerInfos } }.
 * Same bytes as @peculiar/x509's export, without parsing and re-encoding every certificate
 * on the hot path (that was the single biggest CPU cost of an enrollment).
 */
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const OID_SIGNED_DATA = Buffer.from('06092a864886f70d010702', 'hex');
const OID_DATA = Buffer.from('06092a864886f70d010701', 'hex');

export function certsOnly(certificatesDer: Buffer[]): Buffer {
  const signedData = tlv(
    0x30,
    Buffer.from([0x02, 0x01, 0x01]), // version 1
    Buffer.from([0x31, 0x00]), // digestAlgorithms: empty SET
    tlv(0x30, OID_DATA, Buffer.from([0xa0, 0x02, 0x04, 0x00])), // encapContentInfo: id-data, empty content (as libest and @peculiar/x509 send)
    tlv(0xa0, ...certificatesDer), // certificates [0] IMPLICIT
    Buffer.from([0x31, 0x00]), // signerInfos: empty SET
  );
  return tlv(0x30, OID_SIGNED_DATA, tlv(0xa0, signedData));
}
