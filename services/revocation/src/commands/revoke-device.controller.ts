import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RevocationDeviceSubjects, RevokeDeviceReply, RevokeDeviceRequest } from '@iis/contracts';
import { RevokeDeviceUseCase } from './revoke-device.usecase';

@Controller()
export class RevokeDeviceController {
  constructor(private readonly revokeDevice: RevokeDeviceUseCase) {}

  @MessagePattern(RevocationDeviceSubjects.revokeDevice)
  revoke(@Payload() req: RevokeDeviceRequest): Promise<RevokeDeviceReply> {
    return this.revokeDevice.execute(req);
  }
}
