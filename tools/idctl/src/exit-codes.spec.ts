import { ApiError, ApiUnreachableError } from './api-client';
import { ExitCode, exitCodeForHttpStatus } from './exit-codes';

describe('exitCodeForHttpStatus', () => {
  it.each([
    ['ok/200', 200, ExitCode.Ok],
    ['ok/201', 201, ExitCode.Ok],
    ['refused/400', 400, ExitCode.Refused],
    ['refused/401', 401, ExitCode.Refused],
    ['refused/403', 403, ExitCode.Refused],
    ['refused/404', 404, ExitCode.Refused],
    ['refused/409', 409, ExitCode.Refused],
    ['refused/413', 413, ExitCode.Refused],
    ['unavailable/500', 500, ExitCode.Unavailable],
    ['unavailable/502', 502, ExitCode.Unavailable],
    ['unavailable/503', 503, ExitCode.Unavailable],
    ['unavailable/302', 302, ExitCode.Unavailable],
  ])('%s', (_name, status, expected) => {
    expect(exitCodeForHttpStatus(status)).toBe(expected);
  });

  it('keeps the documented numbers, which scripts depend on', () => {
    expect([ExitCode.Ok, ExitCode.Refused, ExitCode.Usage, ExitCode.Unavailable]).toEqual([0, 1, 2, 3]);
  });
});

describe('API errors', () => {
  const url = 'http://127.0.0.1:8080/api/v1/devices/SN-1';

  it('a 4xx exits 1 and reads "<code>: <message>"', () => {
    const e = new ApiError(409, 'CONFLICT', 'serial already registered', url);
    expect(e).toMatchObject({ exitCode: ExitCode.Refused, code: 'CONFLICT', status: 409, message: 'CONFLICT: serial already registered' });
    expect(e.hints).toEqual([]);
  });

  it('a 5xx exits 3 and names the URL it tried', () => {
    const e = new ApiError(503, 'UNAVAILABLE', 'ca not answering', url);
    expect(e.exitCode).toBe(ExitCode.Unavailable);
    expect(e.hints.join('\n')).toContain(url);
  });

  it('an unreachable API exits 3 and names the URL it tried', () => {
    const e = new ApiUnreachableError(url, 'ECONNREFUSED');
    expect(e.exitCode).toBe(ExitCode.Unavailable);
    expect(e.message).toContain(url);
    expect(e.message).toContain('ECONNREFUSED');
  });
});
