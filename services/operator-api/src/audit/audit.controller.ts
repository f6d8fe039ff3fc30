import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DeviceView, GetDeviceRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator';
import { parseAuditQuery } from './audit-query';
import { AuditPageDto, AuditVerifyDto } from './audit.dto';
import { AuditService } from './audit.service';

/** The audit trail, read-only: pages for export, and a check of the whole chain. */
@ApiTags('audit')
@Controller('api/v1/audit')
@RequirePermission('audit:read')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    @Inject(RPC) private readonly rpc: RpcClient,
  ) {}

  @Get()
  @ApiQuery({ name: 'since', required: false, description: 'ISO 8601, inclusive' })
  @ApiQuery({ name: 'until', required: false, description: 'ISO 8601, exclusive' })
  @ApiQuery({ name: 'device', required: false, description: 'device serial' })
  @ApiQuery({ name: 'actor', required: false, description: 'operator (token) name' })
  @ApiQuery({ name: 'action', required: false, example: 'sim.report-lost' })
  @ApiQuery({ name: 'after', required: false, description: 'cursor: the nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  @ApiOkResponse({ type: AuditPageDto })
  async page(@Query() query: Record<string, unknown>): Promise<AuditPageDto> {
    const { device, ...q } = parseAuditQuery(query);
    const page = await this.audit.page({ ...q, devices: device === undefined ? undefined : await this.deviceNames(device) });
    return { entries: page.entries.map((e) => ({ ...e, at: e.at.toISOString() })), nextCursor: page.nextCursor, headSeq: page.headSeq };
  }

  /** A device shows in the trail by serial (register, secrets) or by id (report-lost): match both. */
  private async deviceNames(device: string): Promise<string[]> {
    try {
      const view = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { serial: device }, 5000);
      return [view.serial, view.id];
    } catch {
      // Unknown to the registry (or it is down): the trail still answers for the name as given.
      return [device];
    }
  }

  @Get('verify')
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(): Promise<AuditVerifyDto> {
    return this.audit.verify();
  }
}
