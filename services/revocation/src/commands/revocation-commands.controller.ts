import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ReportSimLostReply, ReportSimLostRequest, Subjects } from '@iis/contracts';
import { ReportSimLostUseCase } from './report-sim-lost.usecase';

@Controller()
export class RevocationCommandsController {
  constructor(private readonly reportSimLost: ReportSimLostUseCase) {}

  @MessagePattern(Subjects.revocation.reportSimLost)
  simLost(@Payload() req: ReportSimLostRequest): Promise<ReportSimLostReply> {
    return this.reportSimLost.execute(req);
  }
}
