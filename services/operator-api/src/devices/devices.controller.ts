import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiProperty, ApiQuery } from '@nestjs/swagger';
import { oneInt, oneText, onlyKeys } from '../common/query-params';
import { CreateSecretReply, CreateSecretRequest, DeviceListReply, DeviceListRequest, DeviceView, GetDeviceRequest, OperatorSubjects, RegisterDeviceRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { DeviceViewDto, SecretDto } from './device.views';
import { RPC } from '@iis/runtime';
import { CreateSecretDto, RegisterDeviceDto } from './register-device.dto';

class DeviceListDto {
  @ApiProperty({ type: [DeviceViewDto] }) devices: DeviceViewDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as after for the next page; null on the last' }) nextCursor: string | null;
}

/** Devices and their enrollment secrets; the registry itself lives in onboarding. */
@ApiTags('devices')
@Controller('api/v1/devices')
export class DevicesController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Post()
  @RequirePermission('devices:write')
  @AuditAction('device.register')
  @ApiCreatedResponse({ type: DeviceViewDto })
  register(@Body() body: RegisterDeviceDto, @Req() req: AuthenticatedRequest): Promise<DeviceView> {
    return this.rpc.request<RegisterDeviceRequest, DeviceView>(Subjects.onboarding.registerDevice, { ...body, actor: req.operator.name });
  }

  @Get()
  @RequirePermission('devices:read')
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'active', 'quarantined', 'retired'] })
  @ApiQuery({ name: 'deviceClass', required: false })
  @ApiQuery({ name: 'after', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  @ApiOkResponse({ type: DeviceListDto })
  list(@Query() query: Record<string, unknown>): Promise<DeviceListReply> {
    onlyKeys(query, ['status', 'deviceClass', 'after', 'limit']);
    return this.rpc.request<DeviceListRequest, DeviceListReply>(OperatorSubjects.onboarding.listDevices, {
      status: oneText(query, 'status'),
      deviceClass: oneText(query, 'deviceClass'),
      after: oneText(query, 'after'),
      limit: oneInt(query, 'limit', 1, 1000),
    });
  }

  @Get(':serial')
  @RequirePermission('devices:read')
  @ApiParam({ name: 'serial', description: 'device serial' })
  @ApiOkResponse({ type: DeviceViewDto })
  get(@Param('serial') serial: string): Promise<DeviceView> {
    return this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { serial });
  }

  @Post(':serial/enrollment-secrets')
  @HttpCode(201)
  @RequirePermission('secrets:create')
  @AuditAction('secret.create')
  @ApiCreatedResponse({ type: SecretDto, description: 'the one-time secret, shown once' })
  createSecret(@Param('serial') serial: string, @Body() body: CreateSecretDto, @Req() req: AuthenticatedRequest): Promise<CreateSecretReply> {
    return this.rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, {
      serial,
      ttlSeconds: body?.ttlSeconds,
      actor: req.operator.name,
    });
  }
}
