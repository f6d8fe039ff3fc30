import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateSecretReply,
  CreateSecretRequest,
  DeviceView,
  GetDeviceRequest,
  GetSimRequest,
  MarkSimLostReply,
  MarkSimLostRequest,
  MarkSimStatusReply,
  MarkSimStatusRequest,
  RegisterDeviceRequest,
  SimSuspensionSubjects,
  SimView,
  Subjects,
} from '@iis/contracts';
import { EnrollmentSecretsService } from '../secrets/enrollment-secrets.service';
import { RegistryService } from './registry.service';

/** NATS edge of the registry. */
@Controller()
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly secrets: EnrollmentSecretsService,
  ) {}

  @MessagePattern(Subjects.onboarding.registerDevice)
  register(@Payload() req: RegisterDeviceRequest): Promise<DeviceView> {
    return this.registry.register(req);
  }

  @MessagePattern(Subjects.onboarding.getDevice)
  get(@Payload() req: GetDeviceRequest): Promise<DeviceView> {
    return this.registry.getDevice(req);
  }

  @MessagePattern(Subjects.onboarding.getSim)
  getSim(@Payload() req: GetSimRequest): Promise<SimView> {
    return this.registry.getSim(req?.iccid);
  }

  @MessagePattern(SimSuspensionSubjects.markSuspended)
  markSuspended(@Payload() req: MarkSimStatusRequest): Promise<MarkSimStatusReply> {
    return this.registry.markSuspended(req);
  }

  @MessagePattern(SimSuspensionSubjects.markResumed)
  markResumed(@Payload() req: MarkSimStatusRequest): Promise<MarkSimStatusReply> {
    return this.registry.markResumed(req);
  }

  @MessagePattern(Subjects.onboarding.markSimLost)
  markLost(@Payload() req: MarkSimLostRequest): Promise<MarkSimLostReply> {
    return this.registry.markLost(req);
  }

  @MessagePattern(Subjects.onboarding.createSecret)
  createSecret(@Payload() req: CreateSecretRequest): Promise<CreateSecretReply> {
    return this.secrets.create(req);
  }
}
