import { Inject, Injectable } from '@nestjs/common';
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
import { RevocationCommitter } from './revocation-committer';

const REASONS = ['keyCompromise', 'privilegeWithdrawn', 'affiliationChanged', 'cessationOfOperation'] as const;

/**
 * Revoke every unexpired certificate of one device: asked by the policy engine when a device
 * is quarantined or denied, or by an operator. Idempotent like report-sim-lost: certificates
 * already in the log are skipped; each revocation and its event are committed together.
 */
@Injectable()
export class RevokeDeviceUseCase {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly committer: RevocationCommitter,
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
    const { revoked } = await this.committer.commit({ certificates, reason, cause: `device: ${cause}`, actor, now });
    return { deviceId: cmd.deviceId, revoked };
  }
}
