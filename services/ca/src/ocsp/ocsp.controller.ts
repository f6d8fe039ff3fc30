import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OcspResponseStatus, ocspErrorResponse } from '@iis/pki';
import { OcspService } from './ocsp.service';
import { OcspAnswer } from './ocsp-responder';

const MAX_REQUEST_BYTES = 8 * 1024;

/** RFC 6960 Appendix A: OCSP over HTTP, GET (base64 in the path) and POST (DER body). */
@Controller('ocsp')
export class OcspController {
  constructor(private readonly ocsp: OcspService) {}

  @Post()
  async post(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/ocsp-request')) {
      return this.send(res, { httpStatus: 415, body: ocspErrorResponse(OcspResponseStatus.MalformedRequest), maxAgeSeconds: 0 });
    }
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (!body) return this.send(res, { httpStatus: 413, body: ocspErrorResponse(OcspResponseStatus.MalformedRequest), maxAgeSeconds: 0 });
    this.send(res, await this.ocsp.respond(body));
  }

  @Get('*path')
  async get(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The request is base64 (URL-encoded) after "/ocsp/"; it may itself contain "/".
    const path = req.originalUrl.split('?')[0];
    const encoded = path.slice(path.indexOf('/ocsp/') + '/ocsp/'.length);
    let der: Buffer;
    try {
      der = Buffer.from(decodeURIComponent(encoded), 'base64');
    } catch {
      der = Buffer.alloc(0);
    }
    this.send(res, await this.ocsp.respond(der));
  }

  private send(res: Response, a: OcspAnswer): void {
    res.status(a.httpStatus);
    res.setHeader('Content-Type', 'application/ocsp-response');
    res.setHeader('Cache-Control', a.maxAgeSeconds > 0 ? `public, max-age=${a.maxAgeSeconds}, no-transform, must-revalidate` : 'no-store');
    res.end(a.body);
  }
}

function readBody(req: Request, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
