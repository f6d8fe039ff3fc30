import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  DomainError,
  ErrorCode,
  LookupCertificatesReply,
  LookupCertificatesRequest,
  RevocationCommandSubjects,
  RevocationReasons,
  RevokeReply,
  RevokeRequest,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { deviceSerials } from './device-serials';
import { writeRevocations } from './revocation-log-writer';
import { crashPoint } from '../fault-injection';
import { revokeCommandProblem } from './revoke-command.rules';

/**
 * Revokes the unexpired certificates of one serial, device, SIM or issuer with an RFC 5280
 * reason. An unknown target is an error and writes nothing; a repeated command changes
 * nothing and lists what was already revoked.
 */
@Injectable()
export class RevokeUseCase {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly relay: OutboxRelayService,
  ) {}

  async execute(cmd: RevokeRequest): Promise<RevokeReply> {
    const problem = revokeCommandProblem(cmd);
    if (problem) throw new DomainError(ErrorCode.BadRequest, problem);
    const now = this.clock.now();
    const { certificates } = await this.rpc.request<LookupCertificatesRequest, LookupCertificatesReply>(
      RevocationCommandSubjects.lookupCertificates,
      { ...cmd.target, unexpiredAt: now.toISOString() },
      15_000,
    );
    if (certificates.length === 0) {
      const [kind, value] = Object.entries(cmd.target).find(([, v]) => v)!;
      throw new DomainError(ErrorCode.NotFound, `no unexpired certificate for ${kind} ${value}`);
    }
    const commonNames = await deviceSerials(this.rpc, certificates.map((c) => c.deviceId));
    const cause = `revoke: ${cmd.comment?.trim() || cmd.reason}`;
    const actor = typeof cmd.actor === 'string' && cmd.actor ? cmd.actor : 'unknown';
    const written = await this.ds.transaction((em) => writeRevocations(em, { certificates, reason: cmd.reason, cause, actor, now, commonNames }));
    crashPoint('crash-after-outbox-commit');
    if (written.revoked.length > 0) await this.relay.kick();
    return written;
  }
}

