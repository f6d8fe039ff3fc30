import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ReportSimLostReply, ReportSimLostRequest, RevocationCommandSubjects, RevokeReply, RevokeRequest, Subjects } from '@iis/contracts';
import { ReportSimLostUseCase } from './report-sim-lost.usecase';
import { RevokeUseCase } from './revoke.usecase';

@Controller()
export class RevocationCommandsController {
  constructor(
    private readonly reportSimLost: ReportSimLostUseCase,
    private readonly revokeCertificates: RevokeUseCase,
  ) {}

  @MessagePattern(RevocationCommandSubjects.revoke)
  revoke(@Payload() req: RevokeRequest): Promise<RevokeReply> {
    return this.revokeCertificates.execute(req);
  }

  @MessagePattern(Subjects.revocation.reportSimLost)
  simLost(@Payload() req: ReportSimLostRequest): Promise<ReportSimLostReply> {
    return this.reportSimLost.execute(req);
  }
}
