import { createHash } from 'node:crypto';
import { bitString, children, content, decodeOid, enumerated, explicit, generalizedTime, octetString, oid, raw, readTlv, readWhole, seq, tlv, tlvOf } from './der';
import { PkiError, PkiErrorCode } from './pki.errors';
import { Signer, subjectPublicKeyBits } from './signer';

/** RFC 6960 4.2.1 OCSPResponseStatus. */
export enum OcspResponseStatus {
  Successful = 0,
  MalformedRequest = 1,
  InternalError = 2,
  TryLater = 3,
  SigRequired = 5,
  Unauthorized = 6,
}

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const BASIC_RESPONSE_OID = '1.3.6.1.5.5.7.48.1.1';

export interface OcspCertId {
  /** node:crypto digest name of hashAlgorithm. */
  hash: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Lower-case hex of the serial's magnitude, as the CA stores it. */
  serialHex: string;
  /** The CertID exactly as requested; echoed in the response (RFC 6960 4.2.1). */
  der: Buffer;
}

export interface OcspRequest {
  certIds: OcspCertId[];
  /** The whole nonce Extension as sent (RFC 8954), echoed unchanged; absent when none was asked. */
  nonceExtension?: Buffer;
}

/** Parses an OCSPRequest (RFC 6960 4.1.1); anything malformed is a PkiError(NotDer). */
export function parseOcspRequest(der: Buffer): OcspRequest {
  const bad = (why: string) => new PkiError(PkiErrorCode.NotDer, `malformed OCSP request: ${why}`);
  try {
    const top = readWhole(der, 0x30, 'OCSPRequest');
    const [tbs] = children(der, top, 'OCSPRequest');
    if (!tbs || tbs.tag !== 0x30) throw bad('no TBSRequest');
    let certIds: OcspCertId[] | undefined;
    let nonceExtension: Buffer | undefined;
    for (const f of children(der, tbs, 'TBSRequest')) {
      if (f.tag === 0xa0 || f.tag === 0xa1) continue; // version (v1 only), requestorName
      if (f.tag === 0x30) {
        certIds = children(der, f, 'requestList').map((r) => {
          const [certId] = children(der, r, 'Request');
          const [alg, nameHash, keyHash, serial] = children(der, certId, 'CertID');
          if (!serial || alg.tag !== 0x30 || nameHash.tag !== 0x04 || keyHash.tag !== 0x04 || serial.tag !== 0x02) throw bad('CertID');
          const algOid = decodeOid(content(der, readTlv(der, alg.contentStart, alg.end)));
          const hash = HASH_BY_OID[algOid];
          if (!hash) throw bad(`hash algorithm ${algOid} is not supported`);
          let s = content(der, serial).toString('hex');
          while (s.startsWith('00') && s.length > 2) s = s.slice(2);
          return { hash, issuerNameHash: Buffer.from(content(der, nameHash)), issuerKeyHash: Buffer.from(content(der, keyHash)), serialHex: s, der: Buffer.from(raw(der, certId)) };
        });
      } else if (f.tag === 0xa2) {
        const [exts] = children(der, f, 'requestExtensions');
        for (const e of children(der, exts, 'extensions')) {
          const [id] = children(der, e, 'extension');
          if (decodeOid(content(der, id)) === OCSP_NONCE_OID) nonceExtension = Buffer.from(raw(der, e));
        }
      } else throw bad('unexpected field');
    }
    if (!certIds || certIds.length === 0) throw bad('no request in requestList');
    if (certIds.length > 20) throw bad('more than 20 requests');
    return { certIds, nonceExtension };
  } catch (e) {
    if (e instanceof PkiError) throw new PkiError(PkiErrorCode.NotDer, e.message.startsWith('malformed') ? e.message : `malformed OCSP request: ${e.message}`);
    throw bad('undecodable');
  }
}

/** The CertID hashes an issuer answers to, per hash algorithm (RFC 6960 4.1.1). */
export function issuerHashes(issuerSubjectDer: Buffer, issuerSpki: Buffer, hash: string): { nameHash: Buffer; keyHash: Buffer } {
  return { nameHash: createHash(hash).update(issuerSubjectDer).digest(), keyHash: createHash(hash).update(subjectPublicKeyBits(issuerSpki)).digest() };
}

export type CertStatus = { kind: 'good' } | { kind: 'unknown' } | { kind: 'revoked'; revokedAt: Date; reasonCode: number };

export interface SingleResponseSpec {
  certIdDer: Buffer;
  status: CertStatus;
  thisUpdate: Date;
  nextUpdate: Date;
}

function certStatus(s: CertStatus): Buffer {
  if (s.kind === 'good') return Buffer.from([0x80, 0x00]);
  if (s.kind === 'unknown') return Buffer.from([0x82, 0x00]);
  // RevokedInfo ::= SEQUENCE { revocationTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }, [1] IMPLICIT
  const parts = [generalizedTime(s.revokedAt)];
  if (s.reasonCode > 0) parts.push(explicit(0, enumerated(s.reasonCode)));
  return tlvOf(0xa1, parts);
}

export function singleResponse(r: SingleResponseSpec): Buffer {
  return seq(r.certIdDer, certStatus(r.status), generalizedTime(r.thisUpdate), explicit(0, generalizedTime(r.nextUpdate)));
}

export interface OcspResponder {
  /** The delegated responder certificate, sent with every response. */
  certificate: Buffer;
  signer: Signer;
}

/** A signed, successful OCSPResponse with a BasicOCSPResponse (RFC 6960 4.2.1). */
export function buildOcspResponse(p: { responder: OcspResponder; producedAt: Date; singleResponses: Buffer[]; nonceExtension?: Buffer }): Buffer {
  // ResponderID byKey: SHA-1 of the responder's public key bits.
  const keyHash = createHash('sha1').update(subjectPublicKeyBits(p.responder.signer.spki)).digest();
  const dataParts = [explicit(2, octetString(keyHash)), generalizedTime(p.producedAt), seq(...p.singleResponses)];
  if (p.nonceExtension) dataParts.push(explicit(1, seq(p.nonceExtension)));
  const tbs = tlvOf(0x30, dataParts);
  const basic = seq(tbs, p.responder.signer.algorithmIdentifier, bitString(p.responder.signer.sign(tbs)), explicit(0, seq(p.responder.certificate)));
  return seq(enumerated(OcspResponseStatus.Successful), explicit(0, seq(oid(BASIC_RESPONSE_OID), octetString(basic))));
}

/** An unsuccessful OCSPResponse: status only, no responseBytes (RFC 6960 4.2.1). */
export function ocspErrorResponse(status: OcspResponseStatus): Buffer {
  return seq(tlv(0x0a, Buffer.from([status])));
}
