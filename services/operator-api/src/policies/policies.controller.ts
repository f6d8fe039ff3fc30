import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import {
  ActivatePolicyRequest,
  ActivationReply,
  DeviceDecisionsReply,
  DeviceDecisionsRequest,
  DeviceView,
  GetDeviceRequest,
  GetPolicyReply,
  GetPolicyRequest,
  ListPoliciesReply,
  PolicySubjects,
  RollbackPolicyRequest,
  Subjects,
  UploadPolicyReply,
  UploadPolicyRequest,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { DecisionsQueryDto, PolicyReasonDto, UploadPolicyDto } from './policy.dto';

function parseVersion(v: string): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new BadRequestException('version must be a positive integer');
  return Number(v);
}

/** Policy documents: list, upload, get, activate, roll back. Each activation is recorded with its actor. */
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  list(): Promise<ListPoliciesReply> {
    return this.rpc.request<Record<string, never>, ListPoliciesReply>(PolicySubjects.list, {});
  }

  @Post()
  @HttpCode(201)
  upload(@Body() body: UploadPolicyDto, @Req() req: AuthenticatedRequest): Promise<UploadPolicyReply> {
    return this.rpc.request<UploadPolicyRequest, UploadPolicyReply>(PolicySubjects.upload, {
      document: body.document,
      activate: body.activate === true,
      reason: body.reason,
      actor: req.operator.name,
    });
  }

  @Post('rollback')
  @HttpCode(200)
  rollback(@Body() body: PolicyReasonDto, @Req() req: AuthenticatedRequest): Promise<ActivationReply> {
    return this.rpc.request<RollbackPolicyRequest, ActivationReply>(PolicySubjects.rollback, { actor: req.operator.name, reason: body?.reason });
  }

  /** `active` or a version number. */
  @Get(':version')
  get(@Param('version') version: string): Promise<GetPolicyReply> {
    return this.rpc.request<GetPolicyRequest, GetPolicyReply>(PolicySubjects.get, version === 'active' ? {} : { version: parseVersion(version) });
  }

  @Post(':version/activate')
  @HttpCode(200)
  activate(@Param('version') version: string, @Body() body: PolicyReasonDto, @Req() req: AuthenticatedRequest): Promise<ActivationReply> {
    return this.rpc.request<ActivatePolicyRequest, ActivationReply>(PolicySubjects.activate, { version: parseVersion(version), actor: req.operator.name, reason: body?.reason });
  }
}

/** The latest policy decisions of a device, with their explanations (`idctl device explain`). */
@Controller('api/v1/devices')
export class DeviceDecisionsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get(':serial/decisions')
  async decisions(@Param('serial') serial: string, @Query() query: DecisionsQueryDto): Promise<DeviceDecisionsReply & { serial: string }> {
    const device = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { serial });
    const reply = await this.rpc.request<DeviceDecisionsRequest, DeviceDecisionsReply>(PolicySubjects.deviceDecisions, { deviceId: device.id, limit: query.limit });
    return { serial: device.serial, ...reply };
  }
}

export const policyControllers = [PoliciesController, DeviceDecisionsController];
