import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
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
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { AddSimDto, EstLabelDto, ImportDevicesDto, ListEnrollmentsQuery, ListPendingQuery, ListSimsQuery, SetStatusDto } from './registry.dto';

/**
 * Registry administration (devices, SIMs, bulk import), EST labels, enrollment records and
 * operator approval of pending enrollments. Everything lives in onboarding; this is the edge.
 */
@Controller('api/v1')
export class RegistryController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('devices/:serial/details')
  @RequirePermission('devices:read')
  showDevice(@Param('serial') serial: string): Promise<DeviceDetailView> {
    return this.rpc.request<GetDeviceRequest, DeviceDetailView>(OnboardingSubjects.showDevice, { serial });
  }

  /** One batch of an import; each row is imported whole or reported by its line. */
  @Post('devices/import')
  @RequirePermission('devices:write')
  @HttpCode(200)
  importDevices(@Body() body: ImportDevicesDto, @Req() req: AuthenticatedRequest): Promise<ImportDevicesReply> {
    return this.rpc.request<ImportDevicesRequest, ImportDevicesReply>(OnboardingSubjects.importDevices, { ...body, actor: req.operator.name }, 60_000);
  }

  @Put('devices/:serial/status')
  // Quarantining or retiring a device is the security team's call, not every operator's.
  @RequirePermission('devices:quarantine')
  setStatus(@Param('serial') serial: string, @Body() body: SetStatusDto, @Req() req: AuthenticatedRequest): Promise<DeviceDetailView> {
    return this.rpc.request<SetDeviceStatusRequest, DeviceDetailView>(OnboardingSubjects.setDeviceStatus, { serial, status: body.status, actor: req.operator.name });
  }

  @Get('sims')
  @RequirePermission('sims:read')
  listSims(@Query() q: ListSimsQuery): Promise<ListSimsReply> {
    return this.rpc.request<ListSimsRequest, ListSimsReply>(OnboardingSubjects.listSims, { status: q.status, after: q.after, limit: q.limit });
  }

  @Post('sims')
  @RequirePermission('sims:write')
  addSim(@Body() body: AddSimDto, @Req() req: AuthenticatedRequest): Promise<SimView> {
    return this.rpc.request<AddSimRequest, SimView>(OnboardingSubjects.addSim, { ...body, actor: req.operator.name });
  }

  @Get('est-labels')
  @RequirePermission('devices:read')
  listLabels(): Promise<ListEstLabelsReply> {
    return this.rpc.request<Record<string, never>, ListEstLabelsReply>(OnboardingSubjects.listEstLabels, {});
  }

  @Put('est-labels/:name')
  @RequirePermission('est:configure')
  setLabel(@Param('name') name: string, @Body() body: EstLabelDto, @Req() req: AuthenticatedRequest): Promise<EstLabelView> {
    return this.rpc.request<SetEstLabelRequest, EstLabelView>(OnboardingSubjects.setEstLabel, {
      name,
      profile: 'device',
      keyTypes: body.keyTypes ?? ['P-256', 'P-384', 'RSA', 'Ed25519'],
      requireProofOfPossession: body.requireProofOfPossession ?? false,
      requireApproval: body.requireApproval ?? false,
      maxTtlSeconds: body.maxTtlSeconds ?? null,
      actor: req.operator.name,
    });
  }

  @Get('enrollments')
  @RequirePermission('devices:read')
  listEnrollments(@Query() q: ListEnrollmentsQuery): Promise<ListEnrollmentsReply> {
    return this.rpc.request<ListEnrollmentsRequest, ListEnrollmentsReply>(OnboardingSubjects.listEnrollments, { serial: q.serial, outcome: q.outcome, limit: q.limit });
  }

  @Get('enrollments/pending')
  @RequirePermission('devices:read')
  listPending(@Query() q: ListPendingQuery): Promise<ListPendingReply> {
    return this.rpc.request<ListPendingRequest, ListPendingReply>(OnboardingSubjects.listPending, { status: q.status });
  }

  @Post('enrollments/pending/:id/approve')
  @RequirePermission('devices:write')
  @HttpCode(200)
  approve(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<PendingEnrollmentView> {
    return this.rpc.request<DecideEnrollmentRequest, PendingEnrollmentView>(OnboardingSubjects.decideEnrollment, { id, approve: true, actor: req.operator.name });
  }

  @Post('enrollments/pending/:id/reject')
  @RequirePermission('devices:write')
  @HttpCode(200)
  reject(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<PendingEnrollmentView> {
    return this.rpc.request<DecideEnrollmentRequest, PendingEnrollmentView>(OnboardingSubjects.decideEnrollment, { id, approve: false, actor: req.operator.name });
  }
}
