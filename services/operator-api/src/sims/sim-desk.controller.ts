import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ConsoleSubjects, RestoreSimReply, RestoreSimRequest, SimSearchReply, SimSearchRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { oneText, onlyKeys } from '../common/query-params';
import { SimViewDto } from '../devices/device.views';
import { RestoreSimDto } from './restore-sim.dto';

class SimDeviceDto {
  @ApiProperty() id: string;
  @ApiProperty() serial: string;
  @ApiProperty({ enum: ['pending', 'active', 'quarantined', 'retired'] }) status: string;
  @ApiProperty() deviceClass: string;
}

class SimSearchItemDto extends SimViewDto {
  @ApiProperty({ type: SimDeviceDto, nullable: true }) device: SimDeviceDto | null;
}

class SimSearchDto {
  @ApiProperty({ type: [SimSearchItemDto] }) sims: SimSearchItemDto[];
}

class RestoreSimReplyDto {
  @ApiProperty({ type: SimViewDto }) sim: SimViewDto;
  @ApiProperty({ description: 'false when the SIM was not lost' }) changed: boolean;
}

/**
 * The SIM desk: find a SIM by ICCID, IMSI or IMEI (with its device), and restore one reported
 * lost by mistake. Registered before SimsController so that `search` is not read as an ICCID.
 */
@ApiTags('sims')
@Controller('api/v1/sims')
export class SimDeskController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('search')
  @RequirePermission('sims:read')
  @ApiQuery({ name: 'iccid', required: false })
  @ApiQuery({ name: 'imsi', required: false })
  @ApiQuery({ name: 'imei', required: false })
  @ApiOkResponse({ type: SimSearchDto })
  search(@Query() query: Record<string, unknown>): Promise<SimSearchReply> {
    onlyKeys(query, ['iccid', 'imsi', 'imei']);
    return this.rpc.request<SimSearchRequest, SimSearchReply>(ConsoleSubjects.onboarding.searchSims, {
      iccid: oneText(query, 'iccid'),
      imsi: oneText(query, 'imsi'),
      imei: oneText(query, 'imei'),
    });
  }

  /** The SIM is active again; certificates revoked when it was reported lost stay revoked. */
  @Post(':iccid/restore')
  @HttpCode(200)
  @RequirePermission('sims:restore')
  @AuditAction('sim.restore')
  @ApiParam({ name: 'iccid' })
  @ApiOkResponse({ type: RestoreSimReplyDto })
  restore(@Param('iccid') iccid: string, @Body() _body: RestoreSimDto, @Req() req: AuthenticatedRequest): Promise<RestoreSimReply> {
    return this.rpc.request<RestoreSimRequest, RestoreSimReply>(ConsoleSubjects.onboarding.restoreSim, { iccid, actor: req.operator.name });
  }
}
