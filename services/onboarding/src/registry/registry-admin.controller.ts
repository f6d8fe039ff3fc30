import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddSimRequest,
  DecideEnrollmentRequest,
  DeviceDetailView,
  EstLabelView,
  GetDeviceRequest,
  ImportDevicesReply,
  ImportDevicesRequest,
  ListEnrollmentsReply,
  ListEnrollmentsRequest,
  ListEstLabelsReply,
  ListPendingReply,
  ListPendingRequest,
  ListSimsReply,
  ListSimsRequest,
  OnboardingSubjects,
  PendingEnrollmentView,
  SetDeviceStatusRequest,
  SetEstLabelRequest,
  SimView,
} from '@iis/contracts';
import { EnrollmentRecordsService } from '../enrollments/enrollment-records.service';
import { PendingEnrollmentsService } from '../enrollments/pending-enrollments.service';
import { EstLabelsService } from '../est/est-labels.service';
import { RegistryAdminService } from './registry-admin.service';

/** NATS edge of registry administration, EST labels and enrollment records. */
@Controller()
export class RegistryAdminController {
  constructor(
    private readonly admin: RegistryAdminService,
    private readonly labels: EstLabelsService,
    private readonly pending: PendingEnrollmentsService,
    private readonly records: EnrollmentRecordsService,
  ) {}

  @MessagePattern(OnboardingSubjects.showDevice)
  showDevice(@Payload() req: GetDeviceRequest): Promise<DeviceDetailView> {
    return this.admin.getDevice(req?.serial as string);
  }

  @MessagePattern(OnboardingSubjects.importDevices)
  importDevices(@Payload() req: ImportDevicesRequest): Promise<ImportDevicesReply> {
    return this.admin.importDevices(req);
  }

  @MessagePattern(OnboardingSubjects.setDeviceStatus)
  setStatus(@Payload() req: SetDeviceStatusRequest): Promise<DeviceDetailView> {
    return this.admin.setDeviceStatus(req);
  }

  @MessagePattern(OnboardingSubjects.addSim)
  addSim(@Payload() req: AddSimRequest): Promise<SimView> {
    return this.admin.addSim(req);
  }

  @MessagePattern(OnboardingSubjects.listSims)
  listSims(@Payload() req: ListSimsRequest): Promise<ListSimsReply> {
    return this.admin.listSims(req);
  }

  @MessagePattern(OnboardingSubjects.setEstLabel)
  setLabel(@Payload() req: SetEstLabelRequest): Promise<EstLabelView> {
    return this.labels.set(req);
  }

  @MessagePattern(OnboardingSubjects.listEstLabels)
  async listLabels(): Promise<ListEstLabelsReply> {
    return { labels: await this.labels.list() };
  }

  @MessagePattern(OnboardingSubjects.listPending)
  async listPending(@Payload() req: ListPendingRequest): Promise<ListPendingReply> {
    return { pending: await this.pending.list(req) };
  }

  @MessagePattern(OnboardingSubjects.decideEnrollment)
  decide(@Payload() req: DecideEnrollmentRequest): Promise<PendingEnrollmentView> {
    return this.pending.decide(req);
  }

  @MessagePattern(OnboardingSubjects.listEnrollments)
  listEnrollments(@Payload() req: ListEnrollmentsRequest): Promise<ListEnrollmentsReply> {
    return this.records.list(req);
  }
}
