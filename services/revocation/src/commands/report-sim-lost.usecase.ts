import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import {
  FindCertificatesReply,
  FindCertificatesRequest,
  MarkSimLostReply,
  MarkSimLostRequest,
  ReportSimLostReply,
  ReportSimLostRequest,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RevocationCommitter } from './revocation-committer';
import { simCommand } from './sim-command.rules';

/**
 * A lost or stolen SIM: mark it lost first (from that moment policy refuses enrollment
 * through it), then revoke every unexpired certificate bound to it. Each revocation and its
 * event are committed together; the relay publishes them. Repeating the command changes
 * nothing that is already done and says so.
 */
@Injectable()
export class ReportSimLostUseCase {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly committer: RevocationCommitter,
  ) {}

  async execute(cmd: ReportSimLostRequest): Promise<ReportSimLostReply> {
    const { iccid, reason, actor } = simCommand(cmd, 'reported lost');
    const marked = await this.rpc.request<MarkSimLostRequest, MarkSimLostReply>(Subjects.onboarding.markSimLost, { iccid, reason, actor });
    const now = this.clock.now();
    const { certificates } = await this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      iccid,
      // Revoked ones too: a certificate on hold (suspended SIM) becomes revoked for good.
      unexpiredAt: now.toISOString(),
    });

    // RFC 5280 5.3.1: a SIM in the wrong hands means the device key may be too.
    const { revoked } = await this.committer.commit({ certificates, reason: 'keyCompromise', cause: `sim-lost: ${reason}`, actor, now, iccid });
    return {
      iccid,
      deviceId: marked.sim.deviceId,
      simStatus: marked.sim.status,
      alreadyLost: !marked.changed,
      revoked,
    };
  }
}
