import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CaCertsReply, DomainError, ErrorCode, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { base64Lines, certsOnlyPkcs7 } from '@iis/pki';
import { RPC } from '@iis/runtime';
import { EnrollUseCase } from './enroll.usecase';
import { EST_MAX_BODY_BYTES, parseBasicAuth, requirePkcs10ContentType } from './est-body';

/** RFC 7030 4.1.3, 4.2.3: both answers are a base64 certs-only CMC Simple PKI Response. */
function sendCertsOnly(res: Response, certificates: Buffer[]): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/pkcs7-mime; smime-type=certs-only');
  res.setHeader('Content-Transfer-Encoding', 'base64');
  // A Buffer, so Express adds no charset parameter to the RFC 7030 media type.
  res.send(Buffer.from(base64Lines(certsOnlyPkcs7(certificates)), 'ascii'));
}

/** Reads a body up to a limit; bigger bodies are refused with 413 without buffering them. */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new DomainError(ErrorCode.PayloadTooLarge, `body larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new DomainError(ErrorCode.PayloadTooLarge, `body larger than ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The device-facing EST edge: turns HTTP into commands, and results into RFC 7030 answers. */
@Controller('.well-known/est')
export class EstController {
  constructor(
    private readonly enroll: EnrollUseCase,
    @Inject(RPC) private readonly rpc: RpcClient,
  ) {}

  /** RFC 7030 4.1: the CA certificates, no authentication required. */
  @Get('cacerts')
  async cacerts(@Res() res: Response): Promise<void> {
    const reply = await this.rpc.request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {});
    sendCertsOnly(res, reply.certificates.map((c) => Buffer.from(c, 'base64')));
  }

  /** RFC 7030 4.2.1 */
  @Post('simpleenroll')
  @HttpCode(200)
  async simpleenroll(@Req() req: Request, @Res() res: Response): Promise<void> {
    const basic = parseBasicAuth(req.headers.authorization);
    if (!basic) throw new DomainError(ErrorCode.Unauthorized, 'authentication required: HTTP Basic with the device serial and its enrollment secret');
    requirePkcs10ContentType(req.headers['content-type']);
    const body = await readBody(req, EST_MAX_BODY_BYTES);
    const issued = await this.enroll.execute({
      operation: 'simpleenroll',
      basic,
      sourceAddress: req.socket.remoteAddress ?? null,
      body,
    });
    sendCertsOnly(res, [Buffer.from(issued.certificate, 'base64')]);
  }
}
