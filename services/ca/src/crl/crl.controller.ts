import { Controller, Get, Param, Res } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Response } from 'express';
import { CrlReply, CrlRequest, DomainError, ErrorCode, Subjects } from '@iis/contracts';
import { CrlService } from './crl.service';

const ISSUER_ID = /^[a-z]+-[0-9a-f]{1,32}$/;

@Controller()
export class CrlController {
  constructor(private readonly crls: CrlService) {}

  /** RFC 5280 4.2.1.13 distribution point: DER, application/pkix-crl; `<id>.delta.crl` is the delta CRL. */
  @Get('crl/:file')
  async crlFile(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const m = /^(.+?)(\.delta)?\.crl$/.exec(file);
    if (!m || !ISSUER_ID.test(m[1])) throw new DomainError(ErrorCode.NotFound, 'no such CRL');
    const crl = m[2] ? await this.crls.currentDelta(m[1]) : await this.crls.current(m[1]);
    res.setHeader('Cache-Control', `public, max-age=${Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 2000))}`);
    res.setHeader('Content-Type', 'application/pkix-crl');
    res.send(crl.der);
  }

  @MessagePattern(Subjects.ca.crl)
  forSubscriber(@Payload() req: CrlRequest): Promise<CrlReply> {
    if (!req || typeof req.issuerId !== 'string' || !ISSUER_ID.test(req.issuerId)) {
      throw new DomainError(ErrorCode.BadRequest, 'issuerId is required');
    }
    return this.crls.forSubscriber(req.issuerId, Number(req.atLeastSequence ?? 0));
  }
}
