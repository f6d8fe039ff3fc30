import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import {
  DomainError,
  ErrorCode,
  GetSimRequest,
  MarkSimStatusReply,
  MarkSimStatusRequest,
  ResumeSimReply,
  ResumeSimRequest,
  SimSuspensionSubjects,
  SimView,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RevocationCommitter } from './revocation-committer';
import { simCommand } from './sim-command.rules';

/**
 * Ends a suspension: only a suspended SIM resumes (anything else is a conflict, nothing
 * written). The holds are released first (RFC 5280 5.3.1 removeFromCRL), then the SIM is
 * marked active, so a command cut short in between can simply be repeated.
 */
@Injectable()
export class ResumeSimUseCase {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly committer: RevocationCommitter,
  ) {}

  async execute(req: ResumeSimRequest): Promise<ResumeSimReply> {
    const cmd = simCommand(req, 'resumed');
    const sim = await this.rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid: cmd.iccid });
    if (sim.status !== 'suspended') throw new DomainError(ErrorCode.Conflict, `SIM ${cmd.iccid} is ${sim.status}, not suspended: there is nothing to resume`);
    const released = await this.committer.release({ iccid: cmd.iccid, cause: `sim-resumed: ${cmd.reason}`, actor: cmd.actor, now: this.clock.now() });
    const marked = await this.rpc.request<MarkSimStatusRequest, MarkSimStatusReply>(SimSuspensionSubjects.markResumed, cmd);
    return { iccid: cmd.iccid, simStatus: marked.sim.status, released };
  }
}
