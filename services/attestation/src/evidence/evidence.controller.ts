import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AttestationResultView, Subjects, VerifyEvidenceRequest } from '@iis/contracts';
import { VerifyEvidenceUseCase } from './verify-evidence.usecase';

@Controller()
export class EvidenceController {
  constructor(private readonly verify: VerifyEvidenceUseCase) {}

  @MessagePattern(Subjects.attestation.verifyEvidence)
  verifyEvidence(@Payload() req: VerifyEvidenceRequest): Promise<AttestationResultView> {
    return this.verify.execute(req);
  }
}
