import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { RevocationCommandSubjects, RevocationReason, RevokeReply, RevokeRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { AuthenticatedRequest, TokenGuard } from '../auth/token.guard';
import { RevokeDto } from './revoke.dto';

@Controller('api/v1/revocations')
@UseGuards(TokenGuard)
export class RevocationsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  /** Revokes every unexpired certificate of one serial, device, SIM or issuer. */
  @Post()
  @HttpCode(200)
  revoke(@Body() body: RevokeDto, @Req() req: AuthenticatedRequest): Promise<RevokeReply> {
    const { reason, comment, ...target } = body;
    return this.rpc.request<RevokeRequest, RevokeReply>(
      RevocationCommandSubjects.revoke,
      { target, reason: reason as RevocationReason, comment, actor: req.operator.name },
      30_000,
    );
  }
}
