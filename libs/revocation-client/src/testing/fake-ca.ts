import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { CaCertsReply, CrlReply, CrlRequest, RevocationReasons, RevocationReason, Subjects } from '@iis/contracts';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { buildCrl, buildLeafCertificate, createIssuingCertificate, createRootCertificate, generateKeyPair, KeyAlgorithmName, keyGenParams, LeafUsage, subtle, toPem, x509 } from '@iis/pki';
import { RevocationSigner } from '../revocation-signer';

const hours = (now: Date, h: number) => new Date(now.getTime() + h * 3600_000);

/** A fake signer's key: what the revocation service makes (RSA-2048 by default, as it does), or RSA-1024, a signer agents must refuse. */
export type FakeSignerKey = KeyAlgorithmName | 'RSA-1024';

export interface FakeSignerOptions {
  key?: FakeSignerKey;
  usage?: LeafUsage;
  notBefore?: Date;
  notAfter?: Date;
  serialHex?: string;
}

/**
 * A CA hierarchy (root + one issuing CA) made with @iis/pki, for specs that need real
 * certificates and real signed CRLs without the CA service.
 */
export class FakeCa {
  /** Revoked serials of the issuing CA. */
  readonly revoked = new Map<string, { revokedAt: Date; reason: RevocationReason }>();
  crlNumber = 0;
  /** What the CA claims to have applied from the stream (CrlReply.appliedSequence). */
  appliedSequence = 0;

  private constructor(
    readonly root: x509.X509Certificate,
    readonly issuing: x509.X509Certificate,
    private readonly issuingKey: CryptoKey,
    private readonly rootKey: CryptoKey,
    private readonly now: () => Date,
  ) {}

  static async create(now: () => Date = () => new Date()): Promise<FakeCa> {
    const t = now();
    const rootKeys = await generateKeyPair('P-256');
    const root = await createRootCertificate({ commonName: 'Fake Root', organization: 'Spec', keys: rootKeys, alg: 'P-256', notBefore: hours(t, -1), notAfter: hours(t, 24) });
    const issuingKeys = await generateKeyPair('P-256');
    const issuing = await createIssuingCertificate({
      commonName: 'Fake Issuing', organization: 'Spec', keys: issuingKeys, alg: 'P-256', notBefore: hours(t, -1), notAfter: hours(t, 24),
      root, rootKey: rootKeys.privateKey, rootAlg: 'P-256',
    });
    return new FakeCa(root, issuing, issuingKeys.privateKey, rootKeys.privateKey, now);
  }

  /**
   * A revocation signer with a leaf certificate of this CA (the CA service's rev-signer
   * profile: EKU REVOCATION_SIGNER_EKU_OID), by default with the revocation service's default key
   * (RSA-2048: PS256; `key: 'P-256'` for ES256). `usage` and the validity window can be bent to make forged signers.
   */
  async signer(opts: FakeSignerOptions & { signAt?: () => Date } = {}): Promise<RevocationSigner & { serial: string }> {
    const { key, certificate, serial } = await this.signerKey(opts);
    return Object.assign(new RevocationSigner(key, certificate, opts.signAt ?? this.now), { serial });
  }

  /** The key and certificate of a signer without a RevocationSigner, which refuses a key agents refuse (RSA-1024): to sign by hand. */
  async signerKey(opts: FakeSignerOptions = {}): Promise<{ key: KeyObject; certificate: string; serial: string }> {
    const t = this.now();
    const keys =
      opts.key === 'RSA-1024'
        ? ((await subtle.generateKey({ ...keyGenParams('RSA-2048'), modulusLength: 1024 }, true, ['sign', 'verify'])) as CryptoKeyPair)
        : await generateKeyPair(opts.key ?? 'RSA-2048');
    const serialHex = opts.serialHex ?? `5e${Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0')}`;
    const cert = await buildLeafCertificate({
      serialHex, commonName: 'revocation-signer spec', publicKey: keys.publicKey as unknown as x509.PublicKey, usage: opts.usage ?? 'revocationSigner',
      notBefore: opts.notBefore ?? hours(t, -1), notAfter: opts.notAfter ?? hours(t, 2),
      issuer: { certificate: this.issuing, key: this.issuingKey, alg: 'P-256' }, urls: { crl: 'http://fake/crl', caIssuers: 'http://fake/ca' },
    });
    const key = createPrivateKey({ key: Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
    return { key, certificate: Buffer.from(cert.rawData).toString('base64'), serial: serialHex };
  }

  /** Any subject-safe id will do: the agent takes ids from the caCerts reply. */
  get issuerId(): string {
    return `issuing-${this.issuing.serialNumber.slice(0, 12).toLowerCase()}`;
  }

  get rootId(): string {
    return `root-${this.root.serialNumber.slice(0, 12).toLowerCase()}`;
  }

  caCerts(): CaCertsReply {
    return { certificates: [this.issuing, this.root].map((c) => Buffer.from(c.rawData).toString('base64')), issuerIds: [this.issuerId], rootId: this.rootId };
  }

  /** The ARL the root signs: it revokes no issuing CA. */
  async arl(req: CrlRequest): Promise<CrlReply> {
    const t = this.now();
    const crl = await buildCrl({ issuer: { certificate: this.root, key: this.rootKey, alg: 'P-256' }, crlNumber: 1, thisUpdate: t, nextUpdate: hours(t, 1), entries: [] });
    return { issuerId: req.issuerId, crl: toPem(Buffer.from(crl.rawData), 'X509 CRL'), crlNumber: 1, appliedSequence: req.atLeastSequence ?? 0 };
  }

  async crl(req: CrlRequest): Promise<CrlReply> {
    this.appliedSequence = Math.max(this.appliedSequence, req.atLeastSequence ?? 0);
    const t = this.now();
    const crl = await buildCrl({
      issuer: { certificate: this.issuing, key: this.issuingKey, alg: 'P-256' },
      crlNumber: ++this.crlNumber,
      thisUpdate: t,
      nextUpdate: hours(t, 1),
      entries: [...this.revoked].map(([serialHex, r]) => ({ serialHex, revokedAt: r.revokedAt, reasonCode: RevocationReasons[r.reason] })),
    });
    return { issuerId: req.issuerId, crl: toPem(Buffer.from(crl.rawData), 'X509 CRL'), crlNumber: this.crlNumber, appliedSequence: this.appliedSequence };
  }
}

/**
 * Answers `Subjects.ca.caCerts` and `Subjects.ca.crl` in the NestJS NATS wire format
 * (`{response, isDisposed}` back for `{pattern, data, id}`), the way the CA service does.
 */
export function serveFakeCa(nc: NatsConnection, ca: FakeCa): Subscription[] {
  const reply = (data: unknown, id: unknown) => JSON.stringify({ response: data, isDisposed: true, id });
  const caCerts = nc.subscribe(Subjects.ca.caCerts, {
    callback: (_err, msg) => {
      const { id } = msg.json<{ id: string }>();
      msg.respond(reply(ca.caCerts(), id));
    },
  });
  const crl = nc.subscribe(Subjects.ca.crl, {
    callback: (_err, msg) => {
      const { id, data } = msg.json<{ id: string; data: CrlRequest }>();
      if (data.issuerId === ca.rootId) {
        void ca.arl(data).then((r) => msg.respond(reply(r, id)));
        return;
      }
      if (data.issuerId !== ca.issuerId) {
        msg.respond(JSON.stringify({ err: { code: 'NOT_FOUND', message: `no issuer ${data.issuerId}` }, isDisposed: true, id }));
        return;
      }
      void ca.crl(data).then((r) => msg.respond(reply(r, id)));
    },
  });
  return [caCerts, crl];
}
