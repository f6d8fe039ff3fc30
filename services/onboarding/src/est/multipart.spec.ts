import { multipartMixed } from './multipart';

describe('multipart/mixed', () => {
  it('ok/two parts in order, each base64, closing delimiter', () => {
    const { contentType, body } = multipartMixed(
      [
        { contentType: 'application/pkcs8', der: Buffer.from([1, 2, 3]) },
        { contentType: 'application/pkcs7-mime; smime-type=certs-only', der: Buffer.from([4, 5]) },
      ],
      'b1',
    );
    expect(contentType).toBe('multipart/mixed; boundary=b1');
    expect(body.toString()).toBe(
      '--b1\r\nContent-Type: application/pkcs8\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID\r\n' +
        '--b1\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only\r\nContent-Transfer-Encoding: base64\r\n\r\nBAU=\r\n--b1--\r\n',
    );
  });
});
