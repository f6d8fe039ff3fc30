import { ErrorCode } from '@iis/contracts';
import { decodeEstBase64, parseBasicAuth, requirePkcs10ContentType } from './est-body';

describe('EST body handling', () => {
  const der = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0xde, 0xad, 0xbe, 0xef, 0x01]);
  const b64 = der.toString('base64');

  it.each([
    ['ok/plain', b64],
    ['ok/CRLF line breaks', b64.slice(0, 4) + '\r\n' + b64.slice(4) + '\r\n'],
    ['ok/LF and spaces', ' ' + b64.slice(0, 8) + '\n' + b64.slice(8)],
  ])('%s', (_n, body) => {
    expect(decodeEstBase64(Buffer.from(body))).toEqual(der);
  });

  it.each([
    ['fail/empty', ''],
    ['fail/only whitespace', '\r\n  '],
    ['fail/not base64', 'this is not base64!'],
    ['fail/raw DER', der.toString('latin1')],
    ['fail/impossible length', 'QUJDR'],
  ])('%s', (_n, body) => {
    expect(() => decodeEstBase64(Buffer.from(body, 'latin1'))).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr }));
  });

  it('fail/PEM armour is named as such', () => {
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(() => decodeEstBase64(Buffer.from(pem))).toThrow(expect.objectContaining({ code: ErrorCode.BadCsr, message: expect.stringMatching(/^PEM armour is not accepted/) }));
  });

  it.each([
    ['ok/exact', 'application/pkcs10'],
    ['ok/with parameters and case', 'Application/PKCS10; charset=binary'],
  ])('content type %s', (_n, ct) => {
    expect(() => requirePkcs10ContentType(ct)).not.toThrow();
  });

  it.each([
    ['fail/missing', undefined],
    ['fail/json', 'application/json'],
  ])('content type %s', (_n, ct) => {
    expect(() => requirePkcs10ContentType(ct)).toThrow(expect.objectContaining({ code: ErrorCode.UnsupportedMediaType }));
  });

  it.each([
    ['ok/basic', 'Basic ' + Buffer.from('dev-1:s3cr:et').toString('base64'), { username: 'dev-1', password: 's3cr:et' }],
    ['fail/bearer', 'Bearer abc', undefined],
    ['fail/no colon', 'Basic ' + Buffer.from('dev-1').toString('base64'), undefined],
    ['fail/empty user', 'Basic ' + Buffer.from(':pw').toString('base64'), undefined],
    ['fail/absent', undefined, undefined],
  ])('basic auth %s', (_n, header, want) => {
    expect(parseBasicAuth(header)).toEqual(want);
  });
});
