import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  DomainError,
  ErrorCode,
  FindCertificatesReply,
  FindCertificatesRequest,
  RevokeDeviceReply,
  RevokeDeviceRequest,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { crashPoint } from '../fault-injection';
import { deviceSerials } from './device-serials';
import { writeRevocations } from './revocation-log-writer';
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
    const commonNames = await deviceSerials(this.rpc, certificates.map((c) => c.deviceId));
    const { revoked } = await this.ds.transaction((em) =>
      writeRevocations(em, { certificates, reason, cause: `device: ${cause}`, actor, now, commonNames }),
    );
    crashPoint('crash-after-outbox-commit');
    if (revoked.length > 0) await this.relay.kick();
    return { deviceId: cmd.deviceId, revoked };
  }
}
