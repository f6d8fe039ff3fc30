import { randomBytes } from 'node:crypto';

export interface Part {
  contentType: string;
  /** Sent base64 with line breaks (RFC 7030 4.4.2, RFC 8951 3). */
  der: Buffer;
}

const lines = (der: Buffer) => (der.toString('base64').match(/.{1,64}/g) ?? []).join('\r\n');

/**
 * RFC 7030 4.4.2: the serverkeygen answer is multipart/mixed with the private key part
 * (application/pkcs8) first and the certificate part (certs-only) second.
 */
export function multipartMixed(parts: Part[], boundary = `est-${randomBytes(12).toString('hex')}`): { contentType: string; body: Buffer } {
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n${lines(p.der)}\r\n`);
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.from(chunks.join('') + `--${boundary}--\r\n`, 'ascii') };
}
