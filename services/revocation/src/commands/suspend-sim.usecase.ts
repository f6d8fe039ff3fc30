import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import {
  FindCertificatesReply,
  FindCertificatesRequest,
  MarkSimStatusReply,
  MarkSimStatusRequest,
  SimSuspensionSubjects,
  Subjects,
  SuspendSimReply,
  SuspendSimRequest,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RevocationCommitter } from './revocation-committer';
import { simCommand } from './sim-command.rules';

/**
 * A suspended SIM: mark it suspended first (from that moment policy refuses enrollment through
 * it), then put every unexpired certificate bound to it on hold (RFC 5280 5.3.1
 * certificateHold). Repeating the command changes nothing and says so.
 */
@Injectable()
export class SuspendSimUseCase {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly committer: RevocationCommitter,
  ) {}

  async execute(req: SuspendSimRequest): Promise<SuspendSimReply> {
    const cmd = simCommand(req, 'suspended');
    const marked = await this.rpc.request<MarkSimStatusRequest, MarkSimStatusReply>(SimSuspensionSubjects.markSuspended, cmd);
    const now = this.clock.now();
    const { certificates } = await this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      iccid: cmd.iccid,
      unexpiredAt: now.toISOString(),
      unrevoked: true,
    });
    const { revoked } = await this.committer.commit({ certificates, reason: 'certificateHold', cause: `sim-suspended: ${cmd.reason}`, actor: cmd.actor, now, iccid: cmd.iccid });
    return { iccid: cmd.iccid, deviceId: marked.sim.deviceId, simStatus: marked.sim.status, alreadySuspended: !marked.changed, held: revoked };
  }
}
