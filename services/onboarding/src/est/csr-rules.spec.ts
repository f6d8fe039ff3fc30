import { ErrorCode } from '@iis/contracts';
import { createCsr, generateKeyPair, x509 } from '@iis/pki';
import { webcrypto } from 'node:crypto';
import { checkKeyType, checkProofOfPossession, checkReenrollIdentity } from './csr-rules';

const binding = Buffer.from('0123456789ab');

describe('CSR rules', () => {
  it.each([
    ['ok/P-256 allowed', 'ECDSA P-256', ['P-256']],
    ['ok/RSA allowed', 'RSA 2048', ['P-256', 'RSA']],
  ])('key type %s', (_n, desc, allowed) => {
    expect(() => checkKeyType(desc, allowed)).not.toThrow();
  });

  it.each([
    ['fail/P-384 not allowed', 'ECDSA P-384', ['P-256']],
    ['fail/unknown', 'DSA 1024', ['P-256']],
  ])('key type %s', (_n, desc, allowed) => {
    expect(() => checkKeyType(desc, allowed)).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr }));
  });

  it.each([
    ['ok/linked', binding.toString('base64'), binding, true, 'linked'],
    ['ok/not required and absent', null, binding, false, 'not-linked'],
    ['ok/an ordinary password is not a binding', 'hunter2', binding, false, 'not-linked'],
  ])('PoP %s', (_n, cp, b, required, want) => {
    expect(checkProofOfPossession(cp, b, required)).toBe(want);
  });

  it.each([
    ['fail/required and absent', null, binding, true],
    ['fail/another connection', Buffer.from('ba9876543210').toString('base64'), binding, false],
    ['fail/no binding on this connection', binding.toString('base64'), null, false],
  ])('PoP %s', (_n, cp, b, required) => {
    expect(() => checkProofOfPossession(cp, b, required)).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr }));
  });

  async function cert(cn: string): Promise<x509.X509Certificate> {
    const keys = await generateKeyPair('P-256');
    return x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: `CN=${cn}`, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto as unknown as Crypto);
  }

  it('ok/re-enroll with the same subject and a new key', async () => {
    const current = await cert('SN-1');
    expect(() => checkReenrollIdentity(Buffer.alloc(0), current)).toThrow();
    const csr = await createCsr(await generateKeyPair('P-256'), 'SN-1');
    expect(() => checkReenrollIdentity(csr, current)).not.toThrow();
  });

  it('fail/re-enroll with another subject', async () => {
    const current = await cert('SN-1');
    const csr = await createCsr(await generateKeyPair('P-256'), 'SN-2');
    expect(() => checkReenrollIdentity(csr, current)).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr }));
  });
});
