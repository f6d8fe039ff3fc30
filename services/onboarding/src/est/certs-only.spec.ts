import { webcrypto } from 'node:crypto';
import { certsOnlyPkcs7, generateKeyPair, x509 } from '@iis/pki';
import { certsOnly } from './certs-only';

describe('certs-only PKCS#7', () => {
  async function cert(cn: string): Promise<Buffer> {
    const keys = await generateKeyPair('P-256');
    const c = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: `CN=${cn}`, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto as unknown as Crypto);
    return Buffer.from(c.rawData);
  }

  it.each([1, 2, 3])('ok/same bytes as the @peculiar/x509 export for %i certificate(s)', async (n) => {
    const certs = await Promise.all(Array.from({ length: n }, (_v, i) => cert(`c${i}-${'x'.repeat(i * 60)}`)));
    expect(certsOnly(certs).equals(certsOnlyPkcs7(certs))).toBe(true);
  });
});
