import { Controller, Get, Param, Res } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Response } from 'express';
import { CrlReply, CrlRequest, DomainError, ErrorCode, Subjects } from '@iis/contracts';
import { AuthorityCrlService } from './authority-crl.service';
import { CrlService } from './crl.service';

const ISSUER_ID = /^[a-z]+-[0-9a-f]{1,32}$/;

@Controller()
export class CrlController {
  constructor(
    private readonly crls: CrlService,
    private readonly arl: AuthorityCrlService,
  ) {}

  /** RFC 5280 4.2.1.13 distribution point: DER, application/pkix-crl; `<id>.delta.crl` is the delta CRL. */
  @Get('crl/:file')
  async crlFile(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const m = /^(.+?)(\.delta)?\.crl$/.exec(file);
    if (!m || !ISSUER_ID.test(m[1])) throw new DomainError(ErrorCode.NotFound, 'no such CRL');
    let crl: { der: Buffer; nextUpdate: Date };
    if (this.arl.isRoot(m[1])) {
      // The root publishes complete ARLs only.
      if (m[2]) throw new DomainError(ErrorCode.NotFound, 'no such CRL');
      crl = await this.arl.current();
    } else {
      crl = m[2] ? await this.crls.currentDelta(m[1]) : await this.crls.current(m[1]);
    }
    res.setHeader('Cache-Control', `public, max-age=${Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 2000))}`);
    res.setHeader('Content-Type', 'application/pkix-crl');
    res.send(crl.der);
  }

  @MessagePattern(Subjects.ca.crl)
  forSubscriber(@Payload() req: CrlRequest): Promise<CrlReply> {
    if (!req || typeof req.issuerId !== 'string' || !ISSUER_ID.test(req.issuerId)) {
      throw new DomainError(ErrorCode.BadRequest, 'issuerId is required');
    }
    const atLeast = Number(req.atLeastSequence ?? 0);
    return this.arl.isRoot(req.issuerId) ? this.rootForSubscriber(req.issuerId, atLeast) : this.crls.forSubscriber(req.issuerId, atLeast);
  }

  private async rootForSubscriber(issuerId: string, atLeastSequence: number): Promise<CrlReply> {
    const arl = await this.arl.current();
    // The revocation stream carries no events for the root, so its ARL is current for any sequence.
    const appliedSequence = Math.max(await this.crls.appliedSequence(), atLeastSequence);
    return { issuerId, crl: arl.pem, crlNumber: arl.crlNumber, appliedSequence };
  }
}
