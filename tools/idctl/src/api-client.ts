import type {
  AgentsStatusReply,
  RevokeReply,
  CertificateSummary,
  CreateSecretReply,
  DeviceView,
  ReportSimLostReply,
  ResumeSimReply,
  SuspendSimReply,
  SimView,
} from '@iis/contracts';
import { redact } from '@iis/config';
import { CliError, ExitCode, exitCodeForHttpStatus } from './exit-codes';
import { clean } from './output';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080/api/v1';
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The API answered with an error status. 4xx exits 1, 5xx exits 3 (see exit-codes.ts). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly url: string,
  ) {
    const refused = exitCodeForHttpStatus(status) === ExitCode.Refused;
    super(
      exitCodeForHttpStatus(status),
      `${clean(code)}: ${clean(apiMessage)}`,
      refused ? [] : [`the operator API at ${redact(url)} answered HTTP ${status}`],
    );
    this.name = 'ApiError';
  }
}

/** No usable answer at all: connection refused, DNS, timeout, a redirect, a body that is not JSON. Exits 3. */
export class ApiUnreachableError extends CliError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(ExitCode.Unavailable, `cannot use the operator API at ${redact(url)}: ${clean(reason)}`, [
      'is the suite running? IDCTL_API_URL sets the address',
    ]);
    this.name = 'ApiUnreachableError';
  }
}

export interface ApiClientOptions {
  /** e.g. http://127.0.0.1:8080/api/v1; a trailing slash is ignored. */
  baseUrl: string;
  token: string;
  /** Where the token came from (a variable or file name), named in the hint on a 401. */
  tokenSource?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The operator API, one method per endpoint. Path parameters are URL-encoded here and nowhere else. */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? fetch;
  }

  registerDevice(body: { serial: string; deviceClass?: string; sim: { iccid: string; imsi: string; imei: string } }): Promise<DeviceView> {
    return this.request('POST', '/devices', body);
  }

  getDevice(serial: string): Promise<DeviceView> {
    return this.request('GET', `/devices/${encodeURIComponent(serial)}`);
  }

  createSecret(serial: string, ttlSeconds?: number): Promise<CreateSecretReply> {
    return this.request('POST', `/devices/${encodeURIComponent(serial)}/enrollment-secrets`, ttlSeconds === undefined ? {} : { ttlSeconds });
  }

  getSim(iccid: string): Promise<SimView> {
    return this.request('GET', `/sims/${encodeURIComponent(iccid)}`);
  }

  reportSimLost(iccid: string, reason: string): Promise<ReportSimLostReply> {
    return this.request('POST', `/sims/${encodeURIComponent(iccid)}/report-lost`, { reason });
  }

  suspendSim(iccid: string, reason: string): Promise<SuspendSimReply> {
    return this.request('POST', `/sims/${encodeURIComponent(iccid)}/suspend`, { reason });
  }

  resumeSim(iccid: string, reason?: string): Promise<ResumeSimReply> {
    return this.request('POST', `/sims/${encodeURIComponent(iccid)}/resume`, reason === undefined ? {} : { reason });
  }

  listCertificates(filter: { deviceId?: string; iccid?: string }): Promise<{ certificates: CertificateSummary[] }> {
    const query = new URLSearchParams();
    if (filter.deviceId !== undefined) query.set('deviceId', filter.deviceId);
    if (filter.iccid !== undefined) query.set('iccid', filter.iccid);
    const qs = query.toString();
    return this.request('GET', `/certificates${qs ? `?${qs}` : ''}`);
  }

  revocationAgents(): Promise<AgentsStatusReply> {
    return this.request('GET', '/revocations/agents');
  }

  revoke(body: { serial?: string; deviceId?: string; iccid?: string; issuerId?: string; reason: string; comment?: string }): Promise<RevokeReply> {
    return this.request('POST', '/revocations', body);
  }

  /** Any endpoint: `path` after the base URL, already encoded (use `encodeURIComponent` on path parameters). */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = this.baseUrl + path;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const res = await this.fetchFn(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect would carry the token somewhere else; treat it as a broken API instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw new ApiUnreachableError(url, describeFetchFailure(e, this.timeoutMs));
    }

    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (typeof parsed !== 'object' || parsed === null) {
        throw new ApiUnreachableError(url, `HTTP ${status} with a body that is not a JSON object`);
      }
      return parsed as T;
    }
    if (status >= 300 && status < 400) throw new ApiUnreachableError(url, `unexpected redirect (HTTP ${status})`);
    const err = errorBody(parsed);
    const error = new ApiError(status, err?.code ?? `HTTP_${status}`, err?.message ?? (text.trim().slice(0, 200) || 'no details'), url);
    if (status === 401 && this.options.tokenSource) error.hints.push(`the token came from ${this.options.tokenSource}`);
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The API's error shape: `{"error": {"code", "message"}}`. */
function errorBody(value: unknown): { code: string; message: string } | undefined {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error?.code !== 'string') return undefined;
  return { code: error.code, message: typeof error.message === 'string' ? error.message : '' };
}

/** fetch says "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is in `cause`. */
function describeFetchFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  const cause = err?.cause;
  if (cause?.code) return cause.code;
  return cause?.message ?? err?.message ?? String(e);
}
