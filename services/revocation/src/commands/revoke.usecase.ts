import { Inject, Injectable } from '@nestjs/common';
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
import { RevocationCommitter } from './revocation-committer';
import { revokeCommandProblem } from './revoke-command.rules';

/**
 * Revokes the unexpired certificates of one serial, device, SIM or issuer with an RFC 5280
 * reason. An unknown target is an error and writes nothing; a repeated command changes
 * nothing and lists what was already revoked.
 */
@Injectable()
export class RevokeUseCase {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly committer: RevocationCommitter,
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
    const cause = `revoke: ${cmd.comment?.trim() || cmd.reason}`;
    const actor = typeof cmd.actor === 'string' && cmd.actor ? cmd.actor : 'unknown';
    return this.committer.commit({ certificates, reason: cmd.reason, cause, actor, now });
  }
}

