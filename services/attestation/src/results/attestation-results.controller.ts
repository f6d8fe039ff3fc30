import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AttestationResultView, DeviceAttestationResultsReply, DeviceAttestationResultsRequest, GetAttestationResultRequest, RedeemAttestationResultReply, RedeemAttestationResultRequest, ReleaseAttestationResultReply, ReleaseAttestationResultRequest, Subjects } from '@iis/contracts';
import { AttestationResultsService } from './attestation-results.service';

@Controller()
export class AttestationResultsController {
  constructor(private readonly results: AttestationResultsService) {}

  @MessagePattern(Subjects.attestation.getResult)
  get(@Payload() req: GetAttestationResultRequest): Promise<AttestationResultView> {
    return this.results.get(req);
  }

  @MessagePattern(Subjects.attestation.deviceResults)
  byDevice(@Payload() req: DeviceAttestationResultsRequest): Promise<DeviceAttestationResultsReply> {
    return this.results.byDevice(req);
  }

  @MessagePattern(Subjects.attestation.redeemResult)
  redeem(@Payload() req: RedeemAttestationResultRequest): Promise<RedeemAttestationResultReply> {
    return this.results.redeem(req);
  }

  @MessagePattern(Subjects.attestation.releaseResult)
  release(@Payload() req: ReleaseAttestationResultRequest): Promise<ReleaseAttestationResultReply> {
    return this.results.release(req);
  }
}
