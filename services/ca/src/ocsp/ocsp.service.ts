import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import { CertStatus } from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { CertificateEntity } from '../issuance/certificate.entity';
import { OcspAnswer, OcspResponderCore } from './ocsp-responder';
import { ocspMetric } from './ocsp.metrics';

/** Nest glue around the OCSP responder core: issuers from the hierarchy, status from ca_certificates. */
@Injectable()
export class OcspService implements OnModuleInit, OnApplicationShutdown {
  private core: OcspResponderCore | undefined;
  private coreFor = '';

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hierarchy: HierarchyService,
  ) {}

  private renewTimer: NodeJS.Timeout | undefined;

  onModuleInit(): void {
    this.renewTimer = setInterval(() => this.hierarchy.renewOcspResponders(), 12 * 3600_000);
    this.renewTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.renewTimer) clearInterval(this.renewTimer);
  }

  respond(der: Buffer): Promise<OcspAnswer> {
    return ocspMetric.observe(() => this.responder().respond(der));
  }

  revoked(issuerId: string, serialHex: string, revokedAt: Date, reasonCode: number): void {
    this.responder().revoked(issuerId, serialHex, revokedAt, reasonCode);
  }

  released(issuerId: string, serialHex: string): void {
    this.responder().released(issuerId, serialHex);
  }

  private responder(): OcspResponderCore {
    const issuers = this.hierarchy.allIssuers();
    // A new issuer or a renewed responder certificate makes a new core (and an empty cache).
    const fingerprint = issuers.map((i) => `${i.id}@${i.ocsp.notAfter.getTime()}`).join(',');
    if (!this.core || fingerprint !== this.coreFor) {
      this.core = new OcspResponderCore(
        issuers.map((i) => ({ id: i.id, subject: i.info.subject, spki: i.info.spki, responder: i.ocsp })),
        (issuerId, serial) => this.lookup(issuerId, serial),
        () => this.clock.now(),
        this.config.ocspNextUpdateSeconds,
      );
      this.coreFor = fingerprint;
    }
    return this.core;
  }

  private async lookup(issuerId: string, serial: string): Promise<CertStatus> {
    const row = await this.ds.getRepository(CertificateEntity).findOne({ where: { serial, issuerId }, select: { serial: true, revokedAt: true, revocationReason: true } });
    if (!row) return { kind: 'unknown' };
    if (row.revokedAt) return { kind: 'revoked', revokedAt: row.revokedAt, reasonCode: row.revocationReason ?? 0 };
    return { kind: 'good' };
  }
}
