import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@iis/contracts';
import { base64Lines } from '@iis/pki';
import { httpErrorAnswer, requestIdMiddleware } from '@iis/runtime';
import { ATTESTATION_RESULT_HEADER, attestationResultHeader } from '../authorizers/attestation-result-header';
import { EstOperation } from '../authorizers/enrollment-authorizer';
import { CaCertsCache } from './ca-certs.cache';
import { certsOnly } from './certs-only';
import { buildCsrAttrs, KeyType } from './csrattrs';
import { EST_MAX_BODY_BYTES, parseBasicAuth } from './est-body';
import { EstEnrollUseCase } from './est-enroll.usecase';
import { EstLabelsService } from './est-labels.service';
import { EST_METHODS, EstRoute, matchEstRoute } from './est-routes';
import { enrollmentMetric } from './est.metrics';
import { multipartMixed } from './multipart';
import { readBody } from './read-body';
import { channelBinding, clientCertificate } from './tls-peer';

/** RFC 7617 challenge sent with every 401 of the EST listener. */
export const EST_AUTH_CHALLENGE = 'Basic realm="est"';

/** RFC 7030 4.2.3 (enrollment answers): the smime-type parameter names what the CMS holds. */
const CERTS_ONLY = 'application/pkcs7-mime; smime-type=certs-only';
/**
 * RFC 7030 4.1.3 (cacerts): "application/pkcs7-mime", no parameter, as in its Appendix A.1
 * example. Clients compare it as a whole string (seen with an independent C client), so the
 * parameter the enrollment answers carry would fail them here.
 */
const CACERTS = 'application/pkcs7-mime';

/**
 * The device-facing EST edge (RFC 7030 with RFC 8951): every operation with and without a
 * label segment. It turns HTTP into commands, and results into RFC 7030 answers.
 *
 * A plain node:http handler in front of the Nest application (serveEstFirst), not a Nest
 * controller: under load (64 clients enrolling) Express routing, Nest's interceptor chain and
 * its rxjs plumbing cost about a quarter of onboarding's CPU per enrollment, and onboarding is
 * the bottleneck process of an enrollment. Errors are answered by httpErrorAnswer, the mapping
 * Nest's filter uses too.
 */
export class EstHttpHandler {
  private readonly requestId = requestIdMiddleware(new Logger('http'));

  constructor(
    private readonly enroll: EstEnrollUseCase,
    private readonly caCerts: CaCertsCache,
    private readonly labels: EstLabelsService,
  ) {}

  /** Answers the request if its target names an EST operation; false leaves it to the Nest application. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    let route: EstRoute | null;
    try {
      route = matchEstRoute(req.url ?? '');
    } catch (e) {
      this.requestId(req, res, () => this.fail(res, e));
      return true;
    }
    if (!route) return false;
    const r = route;
    this.requestId(req, res, () => void this.serve(r, req, res).catch((e) => this.fail(res, e)));
    return true;
  }

  private async serve(route: EstRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const allowed = EST_METHODS[route.operation];
    if (req.method !== allowed && !(allowed === 'GET' && req.method === 'HEAD')) {
      res.setHeader('Allow', allowed);
      throw new DomainError(ErrorCode.MethodNotAllowed, `this EST operation accepts ${allowed} only`);
    }
    switch (route.operation) {
      case 'cacerts':
        // RFC 7030 4.1: the CA certificates, no authentication required.
        await this.labels.resolve(route.label);
        return sendCertsOnly(res, (await this.caCerts.get()).der, CACERTS);
      case 'csrattrs': {
        // RFC 7030 4.5: what the CA wants in a CSR under this label, base64 DER CsrAttrs.
        const l = await this.labels.resolve(route.label);
        return sendBase64(res, 'application/csrattrs', buildCsrAttrs(l.keyTypes as KeyType[], l.requireProofOfPossession));
      }
      default:
        return this.enrollment(route.operation, route.label, req, res);
    }
  }

  /** RFC 7030 4.2.1 simpleenroll, 4.2.2 simplereenroll (the current certificate as the TLS client certificate), 4.4 serverkeygen. */
  private async enrollment(operation: EstOperation, label: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const result = await enrollmentMetric.observe(() =>
      this.enroll.execute({
        operation,
        labelSegment: label,
        basic: parseBasicAuth(req.headers.authorization),
        sourceAddress: req.socket.remoteAddress ?? null,
        clientCertificate: clientCertificate(req.socket),
        channelBinding: () => channelBinding(req.socket),
        contentType: req.headers['content-type'],
        readBody: () => readBody(req, EST_MAX_BODY_BYTES),
        attestationResultId: attestationResultHeader(req.headers[ATTESTATION_RESULT_HEADER]),
      }),
    );
    if (result.kind === 'pending') {
      // RFC 7030 4.2.3: 202 with Retry-After; the device retries with the same CSR.
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return sendJson(res, 202, { status: 'pending', pendingId: result.pendingId, message: 'an operator must approve this enrollment; retry with the same request' });
    }
    const chain = [Buffer.from(result.issued.certificate, 'base64')];
    if (!result.privateKeyPkcs8) return sendCertsOnly(res, chain, CERTS_ONLY);
    const mp = multipartMixed([
      { contentType: 'application/pkcs8', der: result.privateKeyPkcs8 },
      { contentType: CERTS_ONLY, der: certsOnly(chain) },
    ]);
    send(res, 200, { 'Content-Type': mp.contentType }, mp.body);
  }

  /** Answers an error; never throws (it runs where nothing else would catch it). */
  private fail(res: ServerResponse, e: unknown): void {
    try {
      // An error after the answer started (a socket gone mid-write) has nobody to tell.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const answer = httpErrorAnswer(e, EST_AUTH_CHALLENGE);
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      sendJson(res, answer.status, answer.body);
    } catch {
      res.destroy();
    }
  }
}

/** RFC 7030 4.1.3, 4.2.3: a base64 certs-only CMC Simple PKI Response. */
function sendCertsOnly(res: ServerResponse, certificates: Buffer[], contentType: string): void {
  sendBase64(res, contentType, certsOnly(certificates));
}

/** RFC 7030 answers are base64 with line breaks (RFC 8951 3); the header says so for older clients. */
function sendBase64(res: ServerResponse, contentType: string, der: Buffer): void {
  send(res, 200, { 'Content-Type': contentType, 'Content-Transfer-Encoding': 'base64' }, Buffer.from(base64Lines(der), 'ascii'));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, { 'Content-Type': 'application/json; charset=utf-8' }, Buffer.from(JSON.stringify(value), 'utf8'));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', body.length);
  // node:http sends no body for HEAD by itself.
  res.end(body);
}

/**
 * Puts `handler` in front of the server's request listeners (the Nest application's Express),
 * which it takes over: call it once every listener is there (before listen) and add none after,
 * or that one would see EST requests too.
 */
export function serveEstFirst(server: Server, handler: EstHttpHandler): void {
  const rest = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!handler.handle(req, res)) for (const listener of rest) listener(req, res);
  });
}
