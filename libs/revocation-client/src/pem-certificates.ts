import { promises as fs } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** RFC 7468 "CERTIFICATE" blocks of a PEM file as DER; other blocks are ignored. */
export async function readPemCertificates(file: string): Promise<Buffer[]> {
  const text = await fs.readFile(file, 'utf8');
  return [...text.matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}
