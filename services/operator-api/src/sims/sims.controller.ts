import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import {
  GetSimRequest,
  ReportSimLostReply,
  ReportSimLostRequest,
  ResumeSimReply,
  ResumeSimRequest,
  SimSuspensionSubjects,
  SimView,
  Subjects,
  SuspendSimReply,
  SuspendSimRequest,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ReportLostReplyDto, ResumeSimReplyDto, SimViewDto, SuspendSimReplyDto } from '../devices/device.views';
import { RPC } from '@iis/runtime';
import { ReportLostDto, ResumeSimDto, SuspendSimDto } from './report-lost.dto';

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

  /** Suspends the SIM (enrollment through it refused) and puts its unexpired certificates on certificateHold. */
  @Post(':iccid/suspend')
  @HttpCode(200)
  @RequirePermission('sims:suspend')
  @AuditAction('sim.suspend')
  @ApiParam({ name: 'iccid' })
  @ApiOkResponse({ type: SuspendSimReplyDto })
  suspend(@Param('iccid') iccid: string, @Body() body: SuspendSimDto, @Req() req: AuthenticatedRequest): Promise<SuspendSimReply> {
    return this.rpc.request<SuspendSimRequest, SuspendSimReply>(SimSuspensionSubjects.suspend, { iccid, reason: body.reason, actor: req.operator.name }, 30_000);
  }

  /** Releases the holds of a suspended SIM's certificates (removeFromCRL) and makes it active again; 409 when it is not suspended. */
  @Post(':iccid/resume')
  @HttpCode(200)
  @RequirePermission('sims:suspend')
  @AuditAction('sim.resume')
  @ApiParam({ name: 'iccid' })
  @ApiOkResponse({ type: ResumeSimReplyDto })
  resume(@Param('iccid') iccid: string, @Body() body: ResumeSimDto, @Req() req: AuthenticatedRequest): Promise<ResumeSimReply> {
    return this.rpc.request<ResumeSimRequest, ResumeSimReply>(SimSuspensionSubjects.resume, { iccid, reason: body.reason, actor: req.operator.name }, 30_000);
  }
}
