import * as http from 'node:http';
import type { Registry } from 'prom-client';
import { checkReadiness, ReadinessCheck } from './readiness';

const PROBE_TIMEOUT_MS = 1500;

/**
 * The operations listener of one service, apart from its business ports: /health/live (the
 * process answers), /health/ready (NATS and the database answer; 503 otherwise, so a load
 * balancer or Kubernetes stops sending traffic) and /metrics (Prometheus text format).
 */
export async function startOpsServer(host: string, port: number, checks: ReadinessCheck[], registry: Registry): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const route = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, 'application/json', '{"error":"GET only"}');
    if (route === '/health/live') return send(200, 'application/json', '{"status":"ok"}');
    if (route === '/health/ready') {
      void checkReadiness(checks, PROBE_TIMEOUT_MS).then((r) => send(r.ready ? 200 : 503, 'application/json', JSON.stringify({ status: r.ready ? 'ready' : 'not ready', checks: r.checks })));
      return;
    }
    if (route === '/metrics') {
      void registry.metrics().then(
        (text) => send(200, registry.contentType, text),
        (e: Error) => send(500, 'text/plain', e.message),
      );
      return;
    }
    send(404, 'application/json', '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return server;
}
