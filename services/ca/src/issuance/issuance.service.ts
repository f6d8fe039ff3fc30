import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import {
  CaIssueRequest,
  CaSubjects,
  IssueRevocationSignerRequest,
  DomainError,
  ErrorCode,
  FindCertificatesReply,
  FindCertificatesRequest,
  IssueCertificateRequest,
  IssuedCertificate,
} from '@iis/contracts';
import { BatchWriter, RowSkipped } from '@iis/persistence';
import { parseCsr, PkiError, randomSerialHex } from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { CertificateEntity, certificateSummary, SUMMARY_COLUMNS } from './certificate.entity';
import { certificateInserter } from './certificate-store';
import { earlierIssue, IDEMPOTENCY_KEY } from './earlier-issue';
import { AttestationCheck } from './attestation-check';
import { checkKey, checkNames, checkTtl, Profile, profileNamed, PROFILES, validity } from './profiles';

/** Backdating notBefore lets devices with a slightly slow clock use a fresh certificate. */
const CLOCK_SKEW_SECONDS = 60;

@Injectable()
export class IssuanceService {
  private readonly writer: BatchWriter<Partial<CertificateEntity>>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hierarchy: HierarchyService,
    private readonly attestation: AttestationCheck,
  ) {
    // One multi-row INSERT per burst of requests: the database is not the hot path's ceiling.
    this.writer = new BatchWriter(certificateInserter(this.ds));
  }

  /**
   * The hot path: shape, profile and TTL; CSR parse and signature check (node:crypto);
   * certificate from the issuer's precomputed template; one signature; a batched insert.
   */
  async issue(req: IssueCertificateRequest | CaIssueRequest): Promise<IssuedCertificate> {
    if (!req || typeof req.csr !== 'string' || !req.subject || typeof req.subject.commonName !== 'string' || !req.subject.commonName || req.subject.commonName.length > 64) {
      throw new DomainError(ErrorCode.BadRequest, 'csr and subject.commonName (1-64 characters) are required');
    }
    if (req.subject.deviceId !== undefined && (typeof req.subject.deviceId !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(req.subject.deviceId))) {
      throw new DomainError(ErrorCode.BadRequest, 'subject.deviceId must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-" (it becomes a URI SAN)');
    }
    if (req.idempotencyKey !== undefined && (typeof req.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(req.idempotencyKey))) {
      throw new DomainError(ErrorCode.BadRequest, 'idempotencyKey must be 64 lower-case hex characters');
    }
    if (req.attestationResultId !== undefined && (typeof req.attestationResultId !== 'string' || !/^[0-9a-f-]{36}$/i.test(req.attestationResultId))) {
      throw new DomainError(ErrorCode.BadRequest, 'attestationResultId must be a UUID');
    }
    const profile = profileNamed(req.profile);
    if (profile.name === 'rev-signer') throw new DomainError(ErrorCode.BadRequest, `the rev-signer profile is issued on ${CaSubjects.issueRevocationSigner} only`);
    return this.issueWith(profile, req);
  }

  /** The revocation service's signing certificate: its own subject, so NATS permissions can reserve it. */
  issueRevocationSigner(req: IssueRevocationSignerRequest): Promise<IssuedCertificate> {
    if (!req || typeof req.csr !== 'string' || typeof req.instance !== 'string' || !/^[A-Za-z0-9._-]{1,40}$/.test(req.instance)) {
      throw new DomainError(ErrorCode.BadRequest, 'csr is required and instance must be 1-40 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
    }
    return this.issueWith(PROFILES['rev-signer'], { csr: req.csr, ttlSeconds: req.ttlSeconds, profile: 'rev-signer', subject: { commonName: `revocation-signer ${req.instance}` } });
  }

  private async issueWith(profile: Profile, req: IssueCertificateRequest | CaIssueRequest): Promise<IssuedCertificate> {
    const ttl = checkTtl(profile, req.ttlSeconds, this.config.maxTtlSeconds);
    const names = checkNames(profile, req.subject);
    let csr;
    try {
      csr = parseCsr(Buffer.from(req.csr, 'base64'));
    } catch (e) {
      if (e instanceof PkiError) throw new DomainError(ErrorCode.BadCsr, e.message);
      throw e;
    }
    checkKey(profile, csr.keyName);
    const key = req.idempotencyKey;
    const repeat = key ? () => earlierIssue(this.ds, { key, profile: profile.name, deviceId: req.deviceId ?? null, spki: csr.spki, now: this.clock.now(), chainIssuerIds: this.hierarchy.caChainIssuerIds(), chain: this.hierarchy.caChain() }) : null;
    const earlier = repeat ? await repeat() : null;
    if (earlier) return earlier;
    const attestationResultId = req.attestationResultId;
    if (attestationResultId) await this.attestation.check(attestationResultId, req.deviceId);
    const issuer = this.hierarchy.activeIssuer();
    const { notBefore, notAfter } = validity(this.clock.now(), ttl, CLOCK_SKEW_SECONDS, issuer.notAfter);
    const serial = randomSerialHex();
    const organization = this.config.trustDomain;
    const deviceId = req.subject.deviceId;
    const der = issuer.templates[profile.usage].issue({
      serialHex: serial,
      notBefore,
      notAfter,
      commonName: req.subject.commonName,
      organization,
      uris: deviceId ? [`spiffe://${this.config.trustDomain}/device/${deviceId}`] : [],
      dnsNames: names.dnsNames,
      ipAddresses: names.ipAddresses,
      spki: csr.spki,
    });
    const b64 = der.toString('base64');
    const stored = this.writer.add({
      serial,
      issuerId: issuer.id,
      profile: profile.name,
      deviceId: req.deviceId ?? null,
      iccid: req.iccid ?? null,
      subject: `O=${organization}, CN=${req.subject.commonName}`,
      notBefore,
      notAfter,
      revokedAt: null,
      revocationReason: null,
      der: b64,
      idempotencyKey: key ?? null,
      attestationResultId: attestationResultId ?? null,
    });
    try {
      await stored;
    } catch (e) {
      // A concurrent request with the same key stored its certificate first: answer with that one.
      const winner = e instanceof RowSkipped && repeat ? await repeat() : null;
      if (!winner) throw e;
      return winner;
    }
    return {
      serial,
      issuerId: issuer.id,
      certificate: b64,
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
    const rows = await qb.select(SUMMARY_COLUMNS).orderBy('c.createdAt', 'DESC').limit(1000).getMany();
    return {
      certificates: rows.map(certificateSummary),
    };
  }
}
