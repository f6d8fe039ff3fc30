import { AgentStats } from './agent-stats';
import { LocalCheckServer, startLocalCheckServer } from './local-check-server';

// A real HTTP server on a loopback port chosen by the OS; the agent behind it is a stub.
const stats: AgentStats = { applied: 2, rejected: 1, lastStreamSequence: 9, revokedCount: 2, connected: true, lastLogSequence: 9, resyncs: 1 };
let server: LocalCheckServer;
let base: string;
let ready = false;

beforeAll(async () => {
  server = await startLocalCheckServer(0, { isRevoked: (s) => s.toLowerCase().replace(/^0+/, '') === '5a1e', stats: () => stats, ready: () => ready });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe('local check server', () => {
  it.each([
    ['ok/a revoked serial', '/revoked/005A1E', 200, { serial: '005A1E', revoked: true }],
    ['ok/a serial that is not revoked', '/revoked/5a1f', 200, { serial: '5a1f', revoked: false }],
    ['ok/status', '/status', 200, stats],
    ['fail/not a hex serial', '/revoked/xyz', 404, { error: 'not found' }],
    ['fail/no serial', '/revoked/', 404, { error: 'not found' }],
    ['ok/alive', '/health/live', 200, { status: 'ok' }],
    ['fail/another path', '/healthz', 404, { error: 'not found' }],
  ])('%s', async (_name, path, status, body) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
  });

  it('ok/ready only once the revoked set is loaded; says whether NATS is up', async () => {
    ready = false;
    let res = await fetch(`${base}/health/ready`);
    expect([res.status, await res.json()]).toEqual([503, { status: 'loading', connected: true }]);
    ready = true;
    res = await fetch(`${base}/health/ready`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready', connected: true }]);
  });

  it('ok/metrics in the Prometheus text format', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const [name, value] of [['iis_agent_revocations_applied_total', 2], ['iis_agent_events_rejected_total', 1], ['iis_agent_revoked_serials', 2], ['iis_agent_log_sequence', 9], ['iis_agent_nats_connected', 1], ['iis_agent_resyncs_total', 1]] as const) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
      expect(text).toMatch(new RegExp(`^${name} ${value}$`, 'm'));
    }
  });

  it('fail/only GET is answered', async () => {
    const res = await fetch(`${base}/status`, { method: 'POST' });
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });

  it('ok/it listens on loopback only', async () => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no non-loopback address on this host: nothing to try
    await expect(fetch(`http://${external.address}:${server.port}/status`)).rejects.toThrow();
  });
});
