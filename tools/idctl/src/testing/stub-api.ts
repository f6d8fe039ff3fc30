import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on a random local port that answers canned JSON: it stands in for the
 * operator API in idctl's unit specs. The real API is covered by the e2e tests (test/).
 * Used by specs only.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received, still URL-encoded. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Answer = { status: number; body: unknown } | 'hang';

export class StubApi {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Answer>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private base = '';

  /** `path` is matched against the raw URL after `/api/v1`, query included. A string body goes out as is. */
  on(method: string, path: string, status: number, body: unknown): this {
    this.routes.set(`${method} ${path}`, { status, body });
    return this;
  }

  /** Accept the request and never answer. */
  hang(method: string, path: string): this {
    this.routes.set(`${method} ${path}`, 'hang');
    return this;
  }

  /** Base URL as idctl expects it in IDCTL_API_URL. */
  get url(): string {
    return this.base;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = (req.url ?? '').replace(/^\/api\/v1/, '');
      this.requests.push({ method: req.method ?? '', url, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
      const answer = this.routes.get(`${req.method} ${url}`) ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no stub for ${req.method} ${url}` } } };
      if (answer === 'hang') return;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json' });
      res.end(text);
    });
  }
}
