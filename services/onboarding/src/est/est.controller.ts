import { All, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@iis/contracts';
import { base64Lines } from '@iis/pki';
import { certsOnly } from './certs-only';
import { EstOperation } from '../authorizers/enrollment-authorizer';
import { CaCertsCache } from './ca-certs.cache';
import { buildCsrAttrs, KeyType } from './csrattrs';
import { EstEnrollUseCase } from './est-enroll.usecase';
import { ATTESTATION_RESULT_HEADER, attestationResultHeader } from '../authorizers/attestation-result-header';
import { EST_MAX_BODY_BYTES, parseBasicAuth } from './est-body';
import { EstLabelsService } from './est-labels.service';
import { multipartMixed } from './multipart';
import { readBody } from './read-body';
import { channelBinding, clientCertificate } from './tls-peer';
import { enrollmentMetric } from './est.metrics';

/** RFC 7030 4.2.3 (enrollment answers): the smime-type parameter names what the CMS holds. */
const CERTS_ONLY = 'application/pkcs7-mime; smime-type=certs-only';
/**
 * RFC 7030 4.1.3 (cacerts): "application/pkcs7-mime", no parameter, as in its Appendix A.1
 * example. Clients compare it as a whole string (seen with an independent C client), so the
 * parameter the enrollment answers carry would fail them here.
 */
const CACERTS = 'application/pkcs7-mime';

/** RFC 7030 4.1.3, 4.2.3: a base64 certs-only CMC Simple PKI Response. */
function sendCertsOnly(res: Response, certificates: Buffer[], contentType = CERTS_ONLY): void {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Transfer-Encoding', 'base64');
  // A Buffer, so Express adds no charset parameter to the RFC 7030 media type.
  res.send(Buffer.from(base64Lines(certsOnly(certificates)), 'ascii'));
}

function methodNotAllowed(res: Response, allow: string): never {
  res.setHeader('Allow', allow);
  throw new DomainError(ErrorCode.MethodNotAllowed, `this EST operation accepts ${allow} only`);
}

/**
 * The device-facing EST edge (RFC 7030 with RFC 8951): every operation with and without a
 * label segment. It turns HTTP into commands, and results into RFC 7030 answers.
 */
@Controller('.well-known/est')
export class EstController {
  constructor(
    private readonly enroll: EstEnrollUseCase,
    private readonly caCerts: CaCertsCache,
    private readonly labels: EstLabelsService,
  ) {}

  /** RFC 7030 4.1: the CA certificates, no authentication required. */
  @Get(['cacerts', ':label/cacerts'])
  async cacerts(@Param('label') label: string | undefined, @Res() res: Response): Promise<void> {
    await this.labels.resolve(label);
    sendCertsOnly(res, (await this.caCerts.get()).der, CACERTS);
  }

  /** RFC 7030 4.5: what the CA wants in a CSR under this label, base64 DER CsrAttrs. */
  @Get(['csrattrs', ':label/csrattrs'])
  async csrattrs(@Param('label') label: string | undefined, @Res() res: Response): Promise<void> {
    const l = await this.labels.resolve(label);
    res.status(200);
    res.setHeader('Content-Type', 'application/csrattrs');
    res.setHeader('Content-Transfer-Encoding', 'base64');
    res.send(Buffer.from(base64Lines(buildCsrAttrs(l.keyTypes as KeyType[], l.requireProofOfPossession)), 'ascii'));
  }

  /** RFC 7030 4.2.1 */
  @Post(['simpleenroll', ':label/simpleenroll'])
  simpleenroll(@Param('label') label: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle('simpleenroll', label, req, res);
  }

  /** RFC 7030 4.2.2: the current certificate as the TLS client certificate. */
  @Post(['simplereenroll', ':label/simplereenroll'])
  simplereenroll(@Param('label') label: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle('simplereenroll', label, req, res);
  }

  /** RFC 7030 4.4: the server makes the key pair. */
  @Post(['serverkeygen', ':label/serverkeygen'])
  serverkeygen(@Param('label') label: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle('serverkeygen', label, req, res);
  }

  @All(['cacerts', ':label/cacerts', 'csrattrs', ':label/csrattrs'])
  getOnly(@Res() res: Response): never {
    return methodNotAllowed(res, 'GET');
  }

  @All(['simpleenroll', ':label/simpleenroll', 'simplereenroll', ':label/simplereenroll', 'serverkeygen', ':label/serverkeygen'])
  postOnly(@Res() res: Response): never {
    return methodNotAllowed(res, 'POST');
  }

  private async handle(operation: EstOperation, label: string | undefined, req: Request, res: Response): Promise<void> {
    const result = await enrollmentMetric.observe(() => this.enroll.execute({
      operation,
      labelSegment: label,
      basic: parseBasicAuth(req.headers.authorization),
      sourceAddress: req.socket.remoteAddress ?? null,
      clientCertificate: clientCertificate(req.socket),
      channelBinding: () => channelBinding(req.socket),
      contentType: req.headers['content-type'],
      readBody: () => readBody(req, EST_MAX_BODY_BYTES),
      attestationResultId: attestationResultHeader(req.headers[ATTESTATION_RESULT_HEADER]),
    }));
    if (result.kind === 'pending') {
      // RFC 7030 4.2.3: 202 with Retry-After; the device retries with the same CSR.
      res.status(202).setHeader('Retry-After', String(result.retryAfterSeconds));
      res.json({ status: 'pending', pendingId: result.pendingId, message: 'an operator must approve this enrollment; retry with the same request' });
      return;
    }
    const chain = [Buffer.from(result.issued.certificate, 'base64')];
    if (!result.privateKeyPkcs8) {
      sendCertsOnly(res, chain);
      return;
    }
    const mp = multipartMixed([
      { contentType: 'application/pkcs8', der: result.privateKeyPkcs8 },
      { contentType: CERTS_ONLY, der: certsOnly(chain) },
    ]);
    res.status(200).setHeader('Content-Type', mp.contentType);
    res.send(mp.body);
  }
}
