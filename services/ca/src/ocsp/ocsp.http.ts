import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcspResponseStatus, ocspErrorResponse } from '@iis/pki';
import { OcspAnswer } from './ocsp-responder';

const MAX_REQUEST_BYTES = 8 * 1024;

/**
 * RFC 6960 Appendix A over plain node:http, mounted at /ocsp ahead of the Nest router: the
 * cached path is a parse, a map lookup and a write, so no framework layer should sit on it.
 * GET carries the base64 (URL-encoded) request in the path, POST the DER body.
 */
export function ocspHttpHandler(respond: (der: Buffer) => Promise<OcspAnswer>, onError: (e: Error) => void) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '';
    if (req.method === 'POST' && (url === '/' || url === '' || url.startsWith('/?'))) {
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/ocsp-request')) {
        req.resume();
        return send(res, { httpStatus: 415, body: ocspErrorResponse(OcspResponseStatus.MalformedRequest), maxAgeSeconds: 0 });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REQUEST_BYTES) chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_REQUEST_BYTES) return send(res, { httpStatus: 413, body: ocspErrorResponse(OcspResponseStatus.MalformedRequest), maxAgeSeconds: 0 });
        answer(Buffer.concat(chunks));
      });
      return;
    }
    if (req.method === 'GET' && url.length > 1) {
      let der: Buffer;
      try {
        der = Buffer.from(decodeURIComponent(url.slice(1).split('?')[0]), 'base64');
      } catch {
        der = Buffer.alloc(0);
      }
      return answer(der);
    }
    next();

    function answer(der: Buffer): void {
      respond(der).then(
        (a) => send(res, a),
        (e: Error) => {
          onError(e);
          send(res, { httpStatus: 500, body: ocspErrorResponse(OcspResponseStatus.InternalError), maxAgeSeconds: 0 });
        },
      );
    }
  };
}

function send(res: ServerResponse, a: OcspAnswer): void {
  res.writeHead(a.httpStatus, {
    'Content-Type': 'application/ocsp-response',
    'Content-Length': a.body.length,
    'Cache-Control': a.maxAgeSeconds > 0 ? `public, max-age=${a.maxAgeSeconds}, no-transform, must-revalidate` : 'no-store',
  });
  res.end(a.body);
}
