import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { GetSimRequest, ReportSimLostReply, ReportSimLostRequest, SimView, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ReportLostReplyDto, SimViewDto } from '../devices/device.views';
import { RPC } from '@iis/runtime';
import { ReportLostDto } from './report-lost.dto';

@ApiTags('sims')
@Controller('api/v1/sims')
export class SimsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get(':iccid')
  @RequirePermission('sims:read')
  @ApiParam({ name: 'iccid' })
  @ApiOkResponse({ type: SimViewDto })
  get(@Param('iccid') iccid: string): Promise<SimView> {
    return this.rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid });
  }

  /** Marks the SIM lost and revokes every unexpired certificate bound to it. */
  @Post(':iccid/report-lost')
  @HttpCode(200)
  @RequirePermission('sims:report-lost')
  @AuditAction('sim.report-lost')
  @ApiParam({ name: 'iccid' })
  @ApiOkResponse({ type: ReportLostReplyDto })
  reportLost(@Param('iccid') iccid: string, @Body() body: ReportLostDto, @Req() req: AuthenticatedRequest): Promise<ReportSimLostReply> {
    // Revoking a fleet's worth of certificates can take longer than a lookup.
    return this.rpc.request<ReportSimLostRequest, ReportSimLostReply>(
      Subjects.revocation.reportSimLost,
      { iccid, reason: body.reason, actor: req.operator.name },
      30_000,
    );
  }
}
