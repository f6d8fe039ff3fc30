import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { GetSimRequest, ReportSimLostReply, ReportSimLostRequest, SimView, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { AuthenticatedRequest, TokenGuard } from '../auth/token.guard';
import { RPC } from '@iis/runtime';
import { ReportLostDto } from './report-lost.dto';

@Controller('api/v1/sims')
@UseGuards(TokenGuard)
export class SimsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get(':iccid')
  get(@Param('iccid') iccid: string): Promise<SimView> {
    return this.rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid });
  }

  /** Marks the SIM lost and revokes every unexpired certificate bound to it. */
  @Post(':iccid/report-lost')
  @HttpCode(200)
  reportLost(@Param('iccid') iccid: string, @Body() body: ReportLostDto, @Req() req: AuthenticatedRequest): Promise<ReportSimLostReply> {
    // Revoking a fleet's worth of certificates can take longer than a lookup.
    return this.rpc.request<ReportSimLostRequest, ReportSimLostReply>(
      Subjects.revocation.reportSimLost,
      { iccid, reason: body.reason, actor: req.operator.name },
      30_000,
    );
  }
}
