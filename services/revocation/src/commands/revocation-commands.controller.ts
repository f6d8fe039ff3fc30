import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ReportSimLostReply,
  ReportSimLostRequest,
  ResumeSimReply,
  ResumeSimRequest,
  RevocationCommandSubjects,
  RevokeReply,
  RevokeRequest,
  SimSuspensionSubjects,
  Subjects,
  SuspendSimReply,
  SuspendSimRequest,
} from '@iis/contracts';
import { ReportSimLostUseCase } from './report-sim-lost.usecase';
import { ResumeSimUseCase } from './resume-sim.usecase';
import { SuspendSimUseCase } from './suspend-sim.usecase';
import { RevokeUseCase } from './revoke.usecase';

@Controller()
export class RevocationCommandsController {
  constructor(
    private readonly reportSimLost: ReportSimLostUseCase,
    private readonly revokeCertificates: RevokeUseCase,
    private readonly suspendSim: SuspendSimUseCase,
    private readonly resumeSim: ResumeSimUseCase,
  ) {}

  @MessagePattern(SimSuspensionSubjects.suspend)
  suspend(@Payload() req: SuspendSimRequest): Promise<SuspendSimReply> {
    return this.suspendSim.execute(req);
  }

  @MessagePattern(SimSuspensionSubjects.resume)
  resume(@Payload() req: ResumeSimRequest): Promise<ResumeSimReply> {
    return this.resumeSim.execute(req);
  }

  @MessagePattern(RevocationCommandSubjects.revoke)
  revoke(@Payload() req: RevokeRequest): Promise<RevokeReply> {
    return this.revokeCertificates.execute(req);
  }

  @MessagePattern(Subjects.revocation.reportSimLost)
  simLost(@Payload() req: ReportSimLostRequest): Promise<ReportSimLostReply> {
    return this.reportSimLost.execute(req);
  }
}
