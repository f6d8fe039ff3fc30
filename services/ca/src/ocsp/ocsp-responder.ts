import {
  buildOcspResponse,
  CertStatus,
  issuerHashes,
  OcspCertId,
  OcspResponder,
  OcspResponseStatus,
  ocspErrorResponse,
  parseOcspRequest,
  PkiError,
  singleResponse,
} from '@iis/pki';

export interface OcspIssuer {
  id: string;
  /** DER subject Name and SubjectPublicKeyInfo of the issuing CA. */
  subject: Buffer;
  spki: Buffer;
  responder: OcspResponder;
}

/** The CA's record of a serial under an issuer: never issued → unknown. */
export type StatusLookup = (issuerId: string, serialHex: string) => Promise<CertStatus>;

export interface OcspAnswer {
  httpStatus: number;
  body: Buffer;
  /** Seconds a cache in front may keep it (RFC 5019 6.2); 0 for nonced or error answers. */
  maxAgeSeconds: number;
}

interface Cached {
  body: Buffer;
  certIdDer: Buffer;
  refreshAt: number;
}

const HASHES = ['sha1', 'sha256', 'sha384', 'sha512'];
const MAX_CACHED = 1_000_000;

/**
 * RFC 6960 responder core, free of Nest: parse, match the issuer by CertID hashes, answer
 * from the cache of signed responses (requests without a nonce, as RFC 5019 clients send),
 * or sign a fresh one (nonce, cache miss). A revocation replaces the cached answer at once.
 */
export class OcspResponderCore {
  private readonly matchers: Array<{ issuer: OcspIssuer; hash: string; nameHash: Buffer; keyHash: Buffer }> = [];
  private readonly cache = new Map<string, Cached>();
  /** Revocations learnt from the stream, ahead of the database (another instance may write it). */
  private readonly eventOverlay = new Map<string, CertStatus>();

  constructor(
    issuers: OcspIssuer[],
    private readonly lookup: StatusLookup,
    private readonly now: () => Date,
    private readonly validitySeconds: number,
  ) {
    for (const issuer of issuers) {
      for (const hash of HASHES) this.matchers.push({ issuer, hash, ...issuerHashes(issuer.subject, issuer.spki, hash) });
    }
  }

  async respond(der: Buffer): Promise<OcspAnswer> {
    let req;
    try {
      req = parseOcspRequest(der);
    } catch (e) {
      if (e instanceof PkiError) return { httpStatus: 400, body: ocspErrorResponse(OcspResponseStatus.MalformedRequest), maxAgeSeconds: 0 };
      throw e;
    }
    const matched = req.certIds.map((c) => ({ certId: c, issuer: this.issuerOf(c) }));
    // One response is signed by one delegated responder: every CertID must name the same issuer we serve.
    const issuer = matched[0].issuer;
    if (!issuer || matched.some((m) => m.issuer !== issuer)) return { httpStatus: 200, body: ocspErrorResponse(OcspResponseStatus.Unauthorized), maxAgeSeconds: 0 };

    if (!req.nonceExtension && req.certIds.length === 1) {
      const key = cacheKey(issuer.id, req.certIds[0]);
      const hit = this.cache.get(key);
      const nowMs = this.now().getTime();
      if (hit && hit.refreshAt > nowMs && hit.certIdDer.equals(req.certIds[0].der)) return { httpStatus: 200, body: hit.body, maxAgeSeconds: Math.floor((hit.refreshAt - nowMs) / 1000) };
      const status = await this.statusOf(issuer.id, req.certIds[0].serialHex);
      const body = this.sign(issuer, [{ certId: req.certIds[0], status }]);
      // "unknown" is not cached: the certificate may be in the middle of being stored.
      if (status.kind !== 'unknown') this.put(key, { body, certIdDer: req.certIds[0].der, refreshAt: nowMs + (this.validitySeconds * 1000) / 2 });
      return { httpStatus: 200, body, maxAgeSeconds: Math.floor(this.validitySeconds / 2) };
    }
    const statuses = await Promise.all(req.certIds.map(async (c) => ({ certId: c, status: await this.statusOf(issuer.id, c.serialHex) })));
    return { httpStatus: 200, body: this.sign(issuer, statuses, req.nonceExtension), maxAgeSeconds: 0 };
  }

  /** A revocation was applied: cached answers for the serial are replaced by signed "revoked" ones now. */
  revoked(issuerId: string, serialHex: string, revokedAt: Date, reasonCode: number): void {
    const status: CertStatus = { kind: 'revoked', revokedAt, reasonCode };
    if (this.eventOverlay.size >= MAX_CACHED) this.eventOverlay.clear();
    this.eventOverlay.set(`${issuerId}|${serialHex}`, status);
    const issuer = this.matchers.find((m) => m.issuer.id === issuerId)?.issuer;
    if (!issuer) return;
    for (const hash of HASHES) {
      const key = `${issuerId}|${serialHex}|${hash}`;
      const hit = this.cache.get(key);
      if (!hit) continue;
      const certId = { der: hit.certIdDer } as OcspCertId;
      this.cache.set(key, { ...hit, body: this.sign(issuer, [{ certId, status }]), refreshAt: this.now().getTime() + (this.validitySeconds * 1000) / 2 });
    }
  }

  /**
   * A certificateHold was released (RFC 5280 5.3.1 removeFromCRL): "good" from now on, also
   * before the store has caught up (the overlay wins over a read), until a later event says otherwise.
   */
  released(issuerId: string, serialHex: string): void {
    if (this.eventOverlay.size >= MAX_CACHED) this.eventOverlay.clear();
    this.eventOverlay.set(`${issuerId}|${serialHex}`, { kind: 'good' });
    for (const hash of HASHES) this.cache.delete(`${issuerId}|${serialHex}|${hash}`);
  }

  private async statusOf(issuerId: string, serialHex: string): Promise<CertStatus> {
    return this.eventOverlay.get(`${issuerId}|${serialHex}`) ?? this.lookup(issuerId, serialHex);
  }

  private issuerOf(c: OcspCertId): OcspIssuer | undefined {
    return this.matchers.find((m) => m.hash === c.hash && m.nameHash.equals(c.issuerNameHash) && m.keyHash.equals(c.issuerKeyHash))?.issuer;
  }

  private sign(issuer: OcspIssuer, items: Array<{ certId: Pick<OcspCertId, 'der'>; status: CertStatus }>, nonceExtension?: Buffer): Buffer {
    const now = this.now();
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + this.validitySeconds * 1000);
    return buildOcspResponse({
      responder: issuer.responder,
      producedAt: thisUpdate,
      singleResponses: items.map((i) => singleResponse({ certIdDer: i.certId.der, status: i.status, thisUpdate, nextUpdate })),
      nonceExtension,
    });
  }

  private put(key: string, v: Cached): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, v);
  }
}

function cacheKey(issuerId: string, c: OcspCertId): string {
  return `${issuerId}|${c.serialHex}|${c.hash}`;
}
