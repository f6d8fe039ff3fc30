import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { bitString, integer, oid, octetString, seq, set, tlv, utf8 } from './der';
import { PkiErrorCode } from './pki.errors';
import { verifyCsr } from './csr';
import { verifyDeviceCsr } from './device-csr';

// Real openssl makes the requests; the node:crypto path must agree with the @peculiar/x509 one.
const dir = mkdtempSync(join(tmpdir(), 'iis-device-csr-'));
let n = 0;

function opensslCsr(keyArgs: string[], reqArgs: string[] = ['-subj', '/CN=device']): Buffer {
  const key = join(dir, `k${++n}.pem`);
  const csr = join(dir, `c${n}.der`);
  execFileSync('openssl', ['genpkey', ...keyArgs, '-out', key], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-new', '-key', key, ...reqArgs, '-outform', 'DER', '-out', csr], { stdio: 'ignore' });
  return readFileSync(csr);
}

const P256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];

describe('verifyDeviceCsr', () => {
  it.each([
    ['ok/P-256', P256, 'ECDSA P-256'],
    ['ok/P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'ECDSA P-384'],
    ['ok/RSA 2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], 'RSA 2048'],
    ['ok/Ed25519', ['-algorithm', 'ED25519'], 'Ed25519'],
  ])('%s', async (_n, keyArgs, description) => {
    const der = opensslCsr(keyArgs);
    const csr = verifyDeviceCsr(der);
    expect(csr.keyDescription).toBe(description);
    expect(csr.challengePassword).toBeNull();
    expect((await verifyCsr(der)).keyDescription).toBe(description);
  });

  it.each([
    ['fail/RSA 1024 is weak', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], PkiErrorCode.WeakKey],
    ['fail/P-521 is not a device curve', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], PkiErrorCode.UnsupportedKey],
    ['fail/secp256k1 is unknown', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], PkiErrorCode.UnsupportedKey],
  ])('%s', async (_n, keyArgs, code) => {
    const der = opensslCsr(keyArgs);
    expect(() => verifyDeviceCsr(der)).toThrow(expect.objectContaining({ code }));
    await expect(verifyCsr(der)).rejects.toMatchObject({ code });
  });

  it.each([
    ['ok/UTF8String', ['-utf8'], 'c2VjcmV0IOKckw=='],
    ['ok/with spaces and ü', ['-utf8'], 'pass wörd'],
    ['ok/PrintableString', [], 'AbC+/0123='],
  ])('challengePassword %s', (_n, extra, password) => {
    // -subj would drop the [attrs] section: the subject comes from the file too.
    const cnf = join(dir, `req${++n}.cnf`);
    writeFileSync(cnf, `[req]\ndistinguished_name=dn\nattributes=attrs\nprompt=no\nstring_mask=${extra.length ? 'utf8only' : 'default'}\n[dn]\nCN=device\n[attrs]\nchallengePassword=${password}\n`);
    const der = opensslCsr(P256, ['-config', cnf, ...extra]);
    expect(verifyDeviceCsr(der).challengePassword).toBe(password);
  });

  it.each([
    ['fail/garbage', Buffer.from('not a csr'), PkiErrorCode.NotACsr],
    ['fail/empty', Buffer.alloc(0), PkiErrorCode.NotACsr],
  ])('%s', (_n, der, code) => {
    expect(() => verifyDeviceCsr(der)).toThrow(expect.objectContaining({ code }));
  });

  it('fail/a signature that does not verify, and CA:true', () => {
    const der = Buffer.from(opensslCsr(P256, ['-subj', '/CN=aaaaaaaa']));
    der.write('bbbbbbbb', der.indexOf(Buffer.from('aaaaaaaa')), 'latin1');
    expect(() => verifyDeviceCsr(der)).toThrow(expect.objectContaining({ code: PkiErrorCode.BadSignature }));
    const ca = opensslCsr(P256, ['-subj', '/CN=device', '-addext', 'basicConstraints=critical,CA:TRUE']);
    expect(() => verifyDeviceCsr(ca)).toThrow(expect.objectContaining({ code: PkiErrorCode.CaRequested }));
  });

  /** A PKCS#10 request built by hand (RFC 2986 4.1), signed for real, with the given attributes. */
  function handmadeCsr(attributes: Buffer[]): Buffer {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const cri = seq(integer(0), seq(), spki, tlv(0xa0, Buffer.concat(attributes)));
    return seq(cri, seq(oid('1.2.840.10045.4.3.2')), bitString(sign('sha256', cri, privateKey)));
  }

  it.each([
    ['ok/an unknown attribute whose values are not a SET is passed over', [seq(oid('1.2.3.4'), octetString(Buffer.from('x')))], null],
    ['ok/a BMPString challengePassword', [seq(oid('1.2.840.113549.1.9.7'), set(tlv(0x1e, Buffer.from('\u0000p\u0000w', 'latin1'))))], 'pw'],
    ['ok/a UTF8String challengePassword', [seq(oid('1.2.840.113549.1.9.7'), set(utf8('pässword')))], 'pässword'],
  ])('%s', (_n, attributes, password) => {
    expect(verifyDeviceCsr(handmadeCsr(attributes)).challengePassword).toBe(password);
  });

  it.each([
    ['fail/an extension request that cannot be read', [seq(oid('1.2.840.113549.1.9.14'), set(octetString(Buffer.from('x'))))], PkiErrorCode.NotACsr],
    ['fail/a challengePassword that is not a string', [seq(oid('1.2.840.113549.1.9.7'), set(integer(7)))], PkiErrorCode.NotACsr],
    ['fail/CA:true asked for in a well-formed extension request', [seq(oid('1.2.840.113549.1.9.14'), set(seq(seq(oid('2.5.29.19'), octetString(seq(Buffer.from([0x01, 0x01, 0xff])))))))], PkiErrorCode.CaRequested],
  ])('%s', (_n, attributes, code) => {
    expect(() => verifyDeviceCsr(handmadeCsr(attributes))).toThrow(expect.objectContaining({ code }));
  });
});
