import type { IncomingMessage } from 'node:http';
import { DomainError, ErrorCode } from '@iis/contracts';

/**
 * Reads a body up to a limit; bigger bodies are refused with 413 without buffering them. A
 * client gone before its body was complete is the client's doing (400), not an outage: the
 * socket's ECONNRESET would otherwise read as the database being away (503).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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
    req.on('error', (e: Error) => reject(new DomainError(ErrorCode.BadRequest, `the request body did not arrive whole: ${e.message}`)));
  });
}
