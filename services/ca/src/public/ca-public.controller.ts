import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@iis/contracts';
import { toPem } from '@iis/pki';
import { HierarchyService } from '../hierarchy/hierarchy.service';

/** Public, read-only CA material: what a device or broker needs to trust the suite. */
@Controller()
export class CaPublicController {
  constructor(private readonly hierarchy: HierarchyService) {}

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Issuing CA(s) then root, PEM: the bundle for `openssl verify -CAfile` or curl --cacert. */
  @Get('ca/chain.pem')
  chain(@Res() res: Response): void {
    res.type('application/x-pem-file').send(this.hierarchy.caChain().map((c) => toPem(c, 'CERTIFICATE')).join(''));
  }

  @Get('ca/root.pem')
  root(@Res() res: Response): void {
    const chain = this.hierarchy.caChain();
    res.type('application/x-pem-file').send(toPem(chain[chain.length - 1], 'CERTIFICATE'));
  }

  /** The caIssuers URL of the AIA extension (RFC 5280 4.2.2.1): DER, application/pkix-cert. */
  @Get('ca/:file')
  issuerCert(@Param('file') file: string, @Res() res: Response): void {
    const m = /^(.+)\.cer$/.exec(file);
    const issuer = m ? this.hierarchy.issuer(m[1]) : undefined;
    if (!issuer) throw new DomainError(ErrorCode.NotFound, 'no such CA certificate');
    res.setHeader('Content-Type', 'application/pkix-cert');
    res.send(issuer.der);
  }
}
