import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitCode } from '../exit-codes';
import { run } from '../main';
import { StubApi } from '../testing/stub-api';

// The security team's commands (issue 8) through run(), against a real HTTP stub of the API.
describe('idctl token, audit, status, revocation', () => {
  let api: StubApi;
  let dir: string;
  beforeEach(async () => {
    api = new StubApi();
    await api.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idctl-audit-'));
  });
  afterEach(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function idctl(argv: string[]) {
    let out = '';
    let err = '';
    const code = await run(argv, { IDCTL_API_URL: api.url, IDCTL_TOKEN: 'tok-123' }, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  const entry = (seq: number, extra: Record<string, unknown> = {}) => ({
    seq, at: '2026-11-24T12:00:00.000Z', actorId: 'a', actor: 'alice', role: 'security-admin', action: 'sim.report-lost', target: '/api/v1/sims/1/report-lost',
    device: 'SN-1', reason: 'lost', outcome: 'ok', status: 200, detail: null, prevHash: '0'.repeat(64), hash: 'f'.repeat(64), ...extra,
  });

  it('ok/audit verify: an intact chain exits 0 and prints the head', async () => {
    api.on('GET', '/audit/verify', 200, { ok: true, checked: 3, head: { seq: 3, hash: 'ab' }, firstBroken: null });
    const r = await idctl(['audit', 'verify']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain('audit   ok  entries=3  head=3:ab');
  });

  it('fail/audit verify: a broken chain exits 1 and names the first broken entry', async () => {
    api.on('GET', '/audit/verify', 200, { ok: false, checked: 7, head: { seq: 7, hash: 'x' }, firstBroken: { seq: 7, problem: 'hash', message: 'edited' } });
    const r = await idctl(['audit', 'verify']);
    expect(r.code).toBe(ExitCode.Refused);
    expect(r.out).toContain('first-broken-entry=7  problem=hash');
  });

  it('ok/audit export follows the cursor, writes JSON Lines to a 0600 file, shows progress', async () => {
    api.on('GET', '/audit?device=SN-1&limit=1000', 200, { entries: [entry(1), entry(2)], nextCursor: 2, headSeq: 4 });
    api.on('GET', '/audit?device=SN-1&limit=1000&after=2', 200, { entries: [entry(4)], nextCursor: null, headSeq: 4 });
    const file = path.join(dir, 'e.jsonl');
    const r = await idctl(['audit', 'export', '--device', 'SN-1', '--output', file, '--progress']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([1, 2, 4]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(r.err).toContain(' 50%  2/4');
    expect(r.err).toContain('100%  4/4');
  });

  it('ok/audit export as CSV to stdout defuses formulas', async () => {
    api.on('GET', '/audit?limit=1000', 200, { entries: [entry(1, { reason: '=cmd|calc' })], nextCursor: null, headSeq: 1 });
    const r = await idctl(['audit', 'export', '--format', 'csv']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out.split('\r\n')[1]).toContain(",'=cmd|calc,");
  });

  it('fail/audit export that fails part-way leaves no file behind', async () => {
    api.on('GET', '/audit?limit=1000', 200, { entries: [entry(1)], nextCursor: 1, headSeq: 2 });
    api.on('GET', '/audit?limit=1000&after=1', 500, { error: { code: 'INTERNAL', message: 'boom' } });
    const file = path.join(dir, 'partial.jsonl');
    const r = await idctl(['audit', 'export', '--output', file]);
    expect(r.code).toBe(ExitCode.Unavailable);
    expect(fs.existsSync(file)).toBe(false);
  });

  it.each([
    ['fail/unknown format', ['audit', 'export', '--format', 'xml']],
    ['fail/token with unknown role', ['token', 'create', '--name', 'a', '--role', 'root']],
    ['fail/token ttl too long', ['token', 'create', '--name', 'a', '--role', 'viewer', '--ttl-days', '9999']],
    ['fail/revoke a non-id', ['token', 'revoke', "1' OR '1'='1"]],
    ['fail/the token as an argument is not an option', ['token', 'list', '--token', 'iis_x']],
  ])('%s exits 2 before any request', async (_n, argv) => {
    const r = await idctl(argv);
    expect(r.code).toBe(ExitCode.Usage);
    expect(api.requests).toHaveLength(0);
  });

  it('ok/token create prints the secret once, and the request carries no secret', async () => {
    api.on('POST', '/tokens', 201, { token: 'iis_secret', info: { id: 'i', name: 'alice', role: 'operator', status: 'active', expiresAt: null, lastUsedAt: null } });
    const r = await idctl(['token', 'create', '--name', 'alice', '--role', 'operator', '--ttl-days', '30']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain('secret  iis_secret');
    expect(api.requests[0].body).toEqual({ name: 'alice', role: 'operator', ttlDays: 30 });
  });

  it('ok/status prints the fleet summary and names what did not answer', async () => {
    api.on('GET', '/status', 200, {
      at: 'now', devicesByStatus: { active: 3, pending: 1 }, simsByStatus: { lost: 1 }, certificates: null,
      revocationStreamLastSequence: 5, agents: [
        { name: 'gw-1', lastStreamSequence: 3, revokedCount: 3, rejected: 0, lastSeenAt: '2026-01-01T00:00:00.000Z', lag: 2, stale: false },
        { name: 'gw-2', lastStreamSequence: 1, revokedCount: 1, rejected: 0, lastSeenAt: '2025-12-31T00:00:00.000Z', lag: 4, stale: true },
      ],
      unavailable: ['certificates (ca)'],
    });
    const r = await idctl(['status']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain('devices active=3  pending=1');
    expect(r.out).toContain('certs   unavailable');
    expect(r.out).toContain('agent   gw-1  applied=3  lag=2  BEHIND by 2\n');
    expect(r.out).toContain('agent   gw-2  applied=1  lag=4  SILENT since 2025-12-31T00:00:00.000Z\n');
    expect(r.out).toContain('warning certificates (ca) did not answer');
  });

  it('ok/revocation list passes filters encoded and shows the next cursor', async () => {
    api.on('GET', '/revocations?since=2026-01-01&limit=1', 200, {
      revocations: [{ sequence: 1, serial: 'ab', reason: 'keyCompromise', revokedAt: 't', deviceId: 'd', iccid: null, cause: 'c', actor: 'alice' }], nextCursor: 1,
    });
    const r = await idctl(['revocation', 'list', '--since', '2026-01-01', '--limit', '1']);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain('revoked #1  serial=ab');
    expect(r.out).toContain('more: --after 1');
  });
});
