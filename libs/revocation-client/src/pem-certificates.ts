import { promises as fs } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** RFC 7468 "CERTIFICATE" blocks of PEM text as DER; other blocks are ignored. */
export function parsePemCertificates(text: string): Buffer[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

/** The "CERTIFICATE" blocks of a PEM file as DER (parsePemCertificates). */
export async function readPemCertificates(file: string): Promise<Buffer[]> {
  return parsePemCertificates(await fs.readFile(file, 'utf8'));
}
