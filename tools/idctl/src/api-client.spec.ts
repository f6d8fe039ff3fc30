import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiError, ApiUnreachableError } from './api-client';
import { ExitCode } from './exit-codes';
import { fixtures } from './testing/fixtures';
import { StubApi } from './testing/stub-api';

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection<E>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected a rejection');
}

// Real HTTP: a node:http server on a random local port answers canned JSON in place of the
// operator API (the real API is covered by the e2e tests). Real fetch, real sockets.
describe('ApiClient', () => {
  const f = fixtures(new Date());
  let api: StubApi;
  let client: ApiClient;

  beforeEach(async () => {
    api = new StubApi();
    client = new ApiClient({ baseUrl: `${await api.start()}/`, token: 'tok-123', tokenSource: '/data/operator-token' });
  });
  afterEach(() => api.stop());

  describe('requests', () => {
    it('registerDevice: POST /devices with a JSON body and the bearer token', async () => {
      api.on('POST', '/devices', 201, f.device);
      const body = { serial: 'SN-0001', deviceClass: 'gateway', sim: { iccid: f.sim.iccid, imsi: f.sim.imsi, imei: f.sim.imei } };
      await expect(client.registerDevice(body)).resolves.toEqual(f.device);
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]).toMatchObject({ method: 'POST', url: '/devices', body });
      expect(api.requests[0].headers).toMatchObject({ authorization: 'Bearer tok-123', 'content-type': 'application/json', accept: 'application/json' });
    });

    it('getDevice: URL-encodes the serial (a trailing slash on the base URL is ignored)', async () => {
      api.on('GET', '/devices/SN%2F1%20a%3Fb', 200, f.device);
      await expect(client.getDevice('SN/1 a?b')).resolves.toEqual(f.device);
      expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/devices/SN%2F1%20a%3Fb', body: undefined });
      expect(api.requests[0].headers['content-type']).toBeUndefined();
    });

    it.each([
      ['ok/with-ttl', 600, { ttlSeconds: 600 }],
      ['ok/without-ttl', undefined, {}],
    ])('createSecret %s', async (_name, ttl, body) => {
      api.on('POST', '/devices/SN-0001/enrollment-secrets', 201, f.secret);
      await expect(client.createSecret('SN-0001', ttl)).resolves.toEqual(f.secret);
      expect(api.requests[0].body).toEqual(body);
    });

    it('getSim: GET /sims/:iccid', async () => {
      api.on('GET', `/sims/${f.sim.iccid}`, 200, f.sim);
      await expect(client.getSim(f.sim.iccid)).resolves.toEqual(f.sim);
    });

    it('reportSimLost: POST /sims/:iccid/report-lost with the reason', async () => {
      api.on('POST', `/sims/${f.sim.iccid}/report-lost`, 200, f.lost);
      await expect(client.reportSimLost(f.sim.iccid, 'stolen from site 4')).resolves.toEqual(f.lost);
      expect(api.requests[0].body).toEqual({ reason: 'stolen from site 4' });
    });

    it.each([
      ['ok/no-filter', {}, '/certificates'],
      ['ok/device', { deviceId: 'dev 1&x' }, '/certificates?deviceId=dev+1%26x'],
      ['ok/both', { deviceId: 'dev-1', iccid: '8944100000000000001' }, '/certificates?deviceId=dev-1&iccid=8944100000000000001'],
    ])('listCertificates %s', async (_name, filter, url) => {
      api.on('GET', url, 200, { certificates: f.certificates });
      await expect(client.listCertificates(filter)).resolves.toEqual({ certificates: f.certificates });
      expect(api.requests[0].url).toBe(url);
    });
  });

  describe('errors', () => {
    it.each([
      ['refused/400', 400, 'BAD_REQUEST', ExitCode.Refused],
      ['refused/401', 401, 'UNAUTHORIZED', ExitCode.Refused],
      ['refused/403', 403, 'FORBIDDEN', ExitCode.Refused],
      ['refused/404', 404, 'NOT_FOUND', ExitCode.Refused],
      ['refused/409', 409, 'CONFLICT', ExitCode.Refused],
      ['unavailable/500', 500, 'INTERNAL', ExitCode.Unavailable],
      ['unavailable/503', 503, 'UNAVAILABLE', ExitCode.Unavailable],
    ])('%s: the API error body becomes code, message and exit code', async (_name, status, code, exitCode) => {
      api.on('GET', '/devices/SN-0001', status, { error: { code, message: 'told you so' } });
      await expect(client.getDevice('SN-0001')).rejects.toMatchObject({ status, code, apiMessage: 'told you so', exitCode, message: `${code}: told you so` });
    });

    it('a 401 names where the token came from, never the token', async () => {
      api.on('GET', '/devices/SN-0001', 401, { error: { code: 'UNAUTHORIZED', message: 'bad token' } });
      const e = await rejection<ApiError>(client.getDevice('SN-0001'));
      expect(e.hints).toEqual(['the token came from /data/operator-token']);
      expect(JSON.stringify({ ...e, message: e.message })).not.toContain('tok-123');
    });

    it('a 5xx names the URL it tried', async () => {
      api.on('GET', '/devices/SN-0001', 503, { error: { code: 'UNAVAILABLE', message: 'nats down' } });
      const e = await rejection<ApiError>(client.getDevice('SN-0001'));
      expect(e.hints.join('\n')).toContain(`${api.url}/devices/SN-0001`);
    });

    it('an error without the JSON shape gets HTTP_<status> and the body text', async () => {
      api.on('GET', '/devices/SN-0001', 502, 'Bad Gateway from the proxy');
      await expect(client.getDevice('SN-0001')).rejects.toMatchObject({
        exitCode: ExitCode.Unavailable,
        code: 'HTTP_502',
        apiMessage: 'Bad Gateway from the proxy',
      });
    });

    it('a 2xx whose body is not JSON exits 3', async () => {
      api.on('GET', '/devices/SN-0001', 200, '<html>captive portal</html>');
      await expect(client.getDevice('SN-0001')).rejects.toBeInstanceOf(ApiUnreachableError);
    });

    it('a redirect is not followed (it would carry the token elsewhere) and exits 3', async () => {
      const other = http.createServer((_req, res) => {
        res.writeHead(302, { location: 'http://example.invalid/' });
        res.end();
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const port = (other.address() as AddressInfo).port;
      try {
        const c = new ApiClient({ baseUrl: `http://127.0.0.1:${port}/api/v1`, token: 't' });
        await expect(c.getDevice('x')).rejects.toMatchObject({ exitCode: ExitCode.Unavailable, reason: 'unexpected redirect (HTTP 302)' });
      } finally {
        other.closeAllConnections();
        await new Promise((resolve) => other.close(resolve));
      }
    });

    it('nothing listening: exits 3 with the URL and the cause', async () => {
      const closed = new StubApi();
      const url = await closed.start();
      await closed.stop();
      const c = new ApiClient({ baseUrl: url, token: 't' });
      const e = await rejection<ApiUnreachableError>(c.getSim(f.sim.iccid));
      expect(e).toBeInstanceOf(ApiUnreachableError);
      expect(e).toMatchObject({ exitCode: ExitCode.Unavailable, url: `${url}/sims/${f.sim.iccid}`, reason: 'ECONNREFUSED' });
      expect(e.message).toContain(url);
    });

    it('no answer before the timeout: exits 3', async () => {
      api.hang('GET', '/devices/SN-0001');
      const c = new ApiClient({ baseUrl: api.url, token: 't', timeoutMs: 200 });
      await expect(c.getDevice('SN-0001')).rejects.toMatchObject({ exitCode: ExitCode.Unavailable, reason: 'no answer within 0.2s' });
    });
  });
});
