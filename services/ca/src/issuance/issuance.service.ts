import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import {
  DomainError,
  ErrorCode,
  FindCertificatesReply,
  FindCertificatesRequest,
  IssueCertificateRequest,
  IssuedCertificate,
} from '@iis/contracts';
import { buildLeafCertificate, PkiError, randomSerialHex, verifyCsr } from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { CertificateEntity } from './certificate.entity';

/** Backdating notBefore lets devices with a slightly slow clock use a fresh certificate. */
const CLOCK_SKEW_MS = 60_000;
const MIN_TTL_SECONDS = 300;

@Injectable()
export class IssuanceService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hierarchy: HierarchyService,
  ) {}

  async issue(req: IssueCertificateRequest): Promise<IssuedCertificate> {
    this.checkShape(req);
    const csr = await verifyCsr(Buffer.from(req.csr, 'base64')).catch((e: unknown) => {
      if (e instanceof PkiError) throw new DomainError(ErrorCode.BadCsr, e.message);
      throw e;
    });
    const issuer = this.hierarchy.activeIssuer();
    const now = this.clock.now();
    const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
    const requestedEnd = new Date(now.getTime() + req.ttlSeconds * 1000);
    // A certificate never outlives its issuer (RFC 5280 6.1.3 would reject it anyway).
    const notAfter = requestedEnd > issuer.certificate.notAfter ? issuer.certificate.notAfter : requestedEnd;
    const serial = randomSerialHex();
    const base = this.config.publicUrl;
    const cert = await buildLeafCertificate({
      serialHex: serial,
      commonName: req.subject.commonName,
      organization: this.config.trustDomain,
      uris: req.subject.deviceId ? [`spiffe://${this.config.trustDomain}/device/${req.subject.deviceId}`] : [],
      dnsNames: req.subject.dnsNames,
      ipAddresses: req.subject.ipAddresses,
      publicKey: csr.publicKey,
      usage: req.profile === 'server' ? 'serverAuth' : 'clientAuth',
      notBefore,
      notAfter,
      issuer,
      urls: { crl: `${base}/crl/${issuer.id}.crl`, caIssuers: `${base}/ca/${issuer.id}.cer` },
    });
    const der = Buffer.from(cert.rawData);
    await this.ds.getRepository(CertificateEntity).insert({
      serial,
      issuerId: issuer.id,
      profile: req.profile,
      deviceId: req.deviceId ?? null,
      iccid: req.iccid ?? null,
      subject: cert.subject,
      notBefore,
      notAfter,
      revokedAt: null,
      revocationReason: null,
      der: der.toString('base64'),
    });
    return {
      serial,
      issuerId: issuer.id,
      certificate: der.toString('base64'),
      chain: this.hierarchy.caChain().map((c) => c.toString('base64')),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
    };
  }

  async find(req: FindCertificatesRequest): Promise<FindCertificatesReply> {
    if (!req || (!req.deviceId && !req.iccid)) throw new DomainError(ErrorCode.BadRequest, 'deviceId or iccid is required');
    const qb = this.ds.getRepository(CertificateEntity).createQueryBuilder('c');
    if (req.deviceId) qb.andWhere('c.deviceId = :deviceId', { deviceId: req.deviceId });
    if (req.iccid) qb.andWhere('c.iccid = :iccid', { iccid: req.iccid });
    if (req.unexpiredAt) qb.andWhere('c.notAfter > :at', { at: new Date(req.unexpiredAt) });
    if (req.unrevoked) qb.andWhere('c.revokedAt IS NULL');
    const rows = await qb.orderBy('c.createdAt', 'DESC').limit(1000).getMany();
    return {
      certificates: rows.map((c) => ({
        serial: c.serial,
        issuerId: c.issuerId,
        deviceId: c.deviceId,
        iccid: c.iccid,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
      })),
    };
  }

  private checkShape(req: IssueCertificateRequest): void {
    if (!req || typeof req.csr !== 'string' || !req.subject || typeof req.subject.commonName !== 'string' || !req.subject.commonName) {
      throw new DomainError(ErrorCode.BadRequest, 'csr and subject.commonName are required');
    }
    if (req.profile !== 'device' && req.profile !== 'server') throw new DomainError(ErrorCode.BadRequest, `unknown profile ${String(req.profile)}`);
    if (!Number.isInteger(req.ttlSeconds) || req.ttlSeconds < MIN_TTL_SECONDS || req.ttlSeconds > this.config.maxTtlSeconds) {
      throw new DomainError(ErrorCode.BadRequest, `ttlSeconds must be between ${MIN_TTL_SECONDS} and ${this.config.maxTtlSeconds}`);
    }
  }
}
