import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  DomainError,
  ErrorCode,
  FindCertificatesReply,
  FindCertificatesRequest,
  RevocationEvent,
  RevokeDeviceReply,
  RevokeDeviceRequest,
  Streams,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RevocationEntity } from '../log/revocation.entity';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';
import { OutboxRelayService } from '../outbox/outbox-relay.service';

const REASONS = ['keyCompromise', 'privilegeWithdrawn', 'affiliationChanged', 'cessationOfOperation'] as const;

/**
 * Revoke every unexpired certificate of one device: asked by the policy engine when a device
 * is quarantined or denied, or by an operator. Idempotent like report-sim-lost: certificates
 * already in the log are skipped; each revocation and its event are committed together.
 */
@Injectable()
export class RevokeDeviceUseCase {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly relay: OutboxRelayService,
  ) {}

  async execute(cmd: RevokeDeviceRequest): Promise<RevokeDeviceReply> {
    if (!cmd || typeof cmd.deviceId !== 'string' || !/^[A-Za-z0-9-]{1,36}$/.test(cmd.deviceId)) throw new DomainError(ErrorCode.BadRequest, 'deviceId is required');
    const reason = cmd.reason ?? 'privilegeWithdrawn';
    if (!REASONS.includes(reason)) throw new DomainError(ErrorCode.BadRequest, `reason must be one of ${REASONS.join(', ')}`);
    const cause = typeof cmd.cause === 'string' && cmd.cause.trim() ? cmd.cause.trim().slice(0, 400) : 'revoked by device';
    const actor = typeof cmd.actor === 'string' && cmd.actor ? cmd.actor.slice(0, 200) : 'unknown';
    const now = this.clock.now();
    const { certificates } = await this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      deviceId: cmd.deviceId,
      unexpiredAt: now.toISOString(),
      unrevoked: true,
    });
    const revoked = await this.ds.transaction(async (em) => {
      const already = new Set(
        (await em.find(RevocationEntity, { where: { serial: In(certificates.map((c) => c.serial)) }, select: { serial: true } })).map((r) => r.serial),
      );
      const out: RevokeDeviceReply['revoked'] = [];
      for (const cert of certificates.filter((c) => !already.has(c.serial))) {
        const row = await em.save(
          em.create(RevocationEntity, {
            serial: cert.serial,
            issuerId: cert.issuerId,
            reason,
            revokedAt: now,
            notAfter: new Date(cert.notAfter),
            deviceId: cert.deviceId,
            iccid: cert.iccid,
            cause: `device: ${cause}`.slice(0, 500),
            actor,
          }),
        );
        const event: RevocationEvent = {
          version: 1,
          logSequence: row.sequence,
          serial: row.serial,
          issuerId: row.issuerId,
          reason,
          revokedAt: now.toISOString(),
          notAfter: row.notAfter.toISOString(),
          deviceId: row.deviceId,
          iccid: row.iccid,
          cause: row.cause,
        };
        await em.insert(OutboxMessageEntity, { subject: Streams.revocations.eventSubject(row.issuerId), msgId: `revocation-${row.serial}`, payload: JSON.stringify(event), publishedAt: null });
        out.push({ serial: row.serial, issuerId: row.issuerId, sequence: row.sequence });
      }
      return out;
    });
    if (revoked.length > 0) await this.relay.kick();
    return { deviceId: cmd.deviceId, revoked };
  }
}
