import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { AgentsStatusReply, AgentSubjects, RevocationCommandSubjects, RevocationReason, RevokeReply, RevokeRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { RevokeDto } from './revoke.dto';

@Controller('api/v1/revocations')
export class RevokeController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  /** Gateway agents: the stream sequence each has applied, its lag, and whether it is silent. */
  @Get('agents')
  @RequirePermission('revocations:read')
  agents(): Promise<AgentsStatusReply> {
    return this.rpc.request<Record<string, never>, AgentsStatusReply>(AgentSubjects.status, {});
  }

  /** Revokes every unexpired certificate of one serial, device, SIM or issuer. */
  @Post()
  @HttpCode(200)
  @RequirePermission('certificates:revoke')
  @AuditAction('certificates.revoke')
  revoke(@Body() body: RevokeDto, @Req() req: AuthenticatedRequest): Promise<RevokeReply> {
    const { reason, comment, ...target } = body;
    return this.rpc.request<RevokeRequest, RevokeReply>(
      RevocationCommandSubjects.revoke,
      { target, reason: reason as RevocationReason, comment, actor: req.operator.name },
      30_000,
    );
  }
}
