import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spkiSha256 } from '@iis/pki';
import { certificateKeySha256 } from './certificate-key';

// Real openssl makes the certificates; the reference is the whole-certificate parse and re-export.
const dir = mkdtempSync(join(tmpdir(), 'iis-certkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function selfSigned(name: string, keyArgs: string[], compressed = false): Buffer {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.der`);
  execFileSync('openssl', ['genpkey', ...keyArgs, '-out', key], { stdio: 'ignore' });
  if (compressed) execFileSync('openssl', ['ec', '-in', key, '-conv_form', 'compressed', '-out', `${key}.c`], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-x509', '-new', '-key', compressed ? `${key}.c` : key, '-subj', `/CN=${name}`, '-days', '1', '-outform', 'DER', '-out', cert], { stdio: 'ignore' });
  return readFileSync(cert);
}

describe('certificateKeySha256', () => {
  it.each([
    ['ok/P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], false],
    ['ok/P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], false],
    ['ok/P-521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], false],
    // Not the hashed-as-is form: taken through a KeyObject.
    ['ok/P-256 compressed point', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], true],
    ['ok/RSA 2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], false],
    ['ok/Ed25519', ['-algorithm', 'ED25519'], false],
  ] as [string, string[], boolean][])('%s: the fingerprint of the whole-certificate parse', (name, keyArgs, compressed) => {
    const der = selfSigned(name.replace(/\W+/g, '-'), keyArgs, compressed);
    expect(certificateKeySha256(der.toString('base64'))).toBe(spkiSha256(new X509Certificate(der).publicKey));
  });

  it('fail/not a certificate', () => {
    expect(() => certificateKeySha256(Buffer.from('3003020100', 'hex').toString('base64'))).toThrow();
  });
});
