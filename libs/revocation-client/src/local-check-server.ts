import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentError, AgentErrorCode } from './agent.errors';
import { agentMetricsText } from './agent-metrics';
import type { AgentStats } from './agent-stats';
import { normalizeSerial } from './serial-number';

export interface LocalCheckHandlers {
  isRevoked(serialHex: string): boolean;
  stats(): AgentStats;
  /** True once the revoked set is loaded (from disk or the snapshot) and checks can be answered. */
  ready(): boolean;
}

export interface LocalCheckServer {
  port: number;
  close(): Promise<void>;
}

/** Loopback only: the answers are for processes on this gateway, never for the network. */
const HOST = '127.0.0.1';

/**
 * `GET /revoked/<serial>` → `{"serial", "revoked"}`; `GET /status` → stats; `GET /metrics` →
 * Prometheus text; `GET /health/live` → 200 while the process answers; `GET /health/ready` →
 * 200 once the revoked set is loaded, else 503. Anything else 404. Readiness does not follow
 * the NATS connection: an agent cut off from NATS keeps enforcing what it holds (the body and
 * the metrics say whether it is connected). Port 0 picks a free port (see `port`).
 */
export function startLocalCheckServer(port: number, handlers: LocalCheckHandlers): Promise<LocalCheckServer> {
  const server = createServer((req, res) => answer(req, res, handlers));
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new AgentError(AgentErrorCode.HttpListen, `cannot listen on ${HOST}:${port}: ${e.message}`)));
    server.listen(port, HOST, () => resolve({ port: (server.address() as AddressInfo).port, close: () => close(server) }));
  });
}

function answer(req: IncomingMessage, res: ServerResponse, handlers: LocalCheckHandlers): void {
  const pathname = (req.url ?? '').split('?')[0];
  if (req.method === 'GET') {
    const revoked = /^\/revoked\/([^/]+)$/.exec(pathname);
    if (revoked && normalizeSerial(revoked[1]) !== undefined) {
      return json(res, 200, { serial: revoked[1], revoked: handlers.isRevoked(revoked[1]) });
    }
    if (pathname === '/status') return json(res, 200, handlers.stats());
    if (pathname === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
      return void res.end(agentMetricsText(handlers.stats()));
    }
    if (pathname === '/health/live') return json(res, 200, { status: 'ok' });
    if (pathname === '/health/ready') {
      const ready = handlers.ready();
      return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'loading', connected: handlers.stats().connected });
    }
  }
  json(res, 404, { error: 'not found' });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
