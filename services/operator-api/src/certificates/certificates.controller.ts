import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { DomainError, ErrorCode, FindCertificatesReply, FindCertificatesRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { TokenGuard } from '../auth/token.guard';
import { RPC } from '@iis/runtime';

@Controller('api/v1/certificates')
@UseGuards(TokenGuard)
export class CertificatesController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  list(@Query('deviceId') deviceId?: string, @Query('iccid') iccid?: string): Promise<FindCertificatesReply> {
    if (typeof deviceId !== 'string' && typeof iccid !== 'string') throw new DomainError(ErrorCode.BadRequest, 'give deviceId or iccid');
    return this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      deviceId: typeof deviceId === 'string' ? deviceId : undefined,
      iccid: typeof iccid === 'string' ? iccid : undefined,
    });
  }
}
