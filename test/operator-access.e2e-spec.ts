import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { freePort } from '../tools/launcher/src/ports';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * The security team's side, end to end against the real suite (launcher, NATS, every service,
 * SQLite and PostgreSQL): each role can do exactly what it should, refusals are audited,
 * credentials that are missing, unknown, expired or revoked get 401, injection attempts in
 * paths and filters are harmless, the audit chain catches a direct edit or deletion in the
 * database, and idctl exports the evidence.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const ROLES = ['viewer', 'operator', 'security-admin', 'policy-admin'] as const;
type Role = (typeof ROLES)[number];

/** Luhn check digit appended: the registry checks ICCIDs and IMEIs. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

let counter = 0;
function newIdentity() {
  counter++;
  const n = String(counter).padStart(6, '0');
  return {
    serial: `SN-E8-${process.pid}-${n}`,
    sim: { iccid: withLuhn(`8944100030${String(process.pid % 100000).padStart(5, '0')}${n.slice(2)}`), imsi: `23415${n}9999`, imei: withLuhn(`4901542${n}0`.slice(0, 14)) },
  };
}

describe.each(databasesUnderTest())('operator API access, audit and idctl (%s)', (db) => {
  let suite: RunningSuite;
  let dropDb: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  const tokens = {} as Record<Role, string>;
  const tokenNames = {} as Record<Role, string>;
  let deviceA: { serial: string; id: string; iccid: string };
  let mtlsPort: number;

  const api = async (method: string, p: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const send = () =>
      fetch(suite.apiUrl + p, {
        method,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      // A pooled keep-alive connection the server closed just as it was reused (idle past
      // the server's keep-alive timeout): a transport race, not an answer. Reads are retried once.
      if (method !== 'GET') throw e;
      res = await send();
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json as Record<string, any>, headers: res.headers };
  };
  const admin = () => suite.token;
  const idctlRun = (args: string[], token = suite.token) => run(process.execPath, [idctl, ...args], { env: { ...suite.idctlEnv, IDCTL_TOKEN: token } });

  /** Runs SQL straight against the operator API's database, as an attacker with disk access would. */
  async function sql(statement: string): Promise<void> {
    if (db === 'sqlite') {
      const conn = new Database(path.join(suite.dataDir, 'operator-api.sqlite'));
      try {
        conn.exec(statement);
      } finally {
        conn.close();
      }
    } else {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      try {
        await c.query(statement);
      } finally {
        await c.end();
      }
    }
  }

  async function register(token = admin()) {
    const id = newIdentity();
    const r = await api('POST', '/devices', token, id);
    return { r, id };
  }

  beforeAll(async () => {
    const extra: NodeJS.ProcessEnv = {};
    if (db === 'postgres') {
      const created = await createTestDatabase();
      extra.DATABASE_URL = dbUrl = created.url;
      dropDb = created.drop;
    }
    mtlsPort = await freePort();
    extra.API_MTLS_PORT = String(mtlsPort);
    suite = await startSuite(extra);
    for (const role of ROLES) {
      tokenNames[role] = `e2e-${role}`;
      const r = await api('POST', '/tokens', admin(), { name: tokenNames[role], role, ttlDays: 1 });
      expect(r.status).toBe(201);
      expect(r.body.token).toMatch(/^iis_[A-Za-z0-9_-]{43}$/);
      tokens[role] = r.body.token;
    }
    const { r, id } = await register();
    expect(r.status).toBe(201);
    deviceA = { serial: id.serial, id: r.body.id, iccid: id.sim.iccid };
  });

  afterAll(async () => {
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  /** Every action of the API, with what each call needs; `allowed` is the roles that may. */
  const actions: { name: string; audit: string; allowed: Role[]; okStatus?: number; call: (token: string) => Promise<{ status: number }> }[] = [
    { name: 'device show', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/devices/${deviceA.serial}`, t) },
    { name: 'device list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/devices?status=pending&limit=2', t) },
    { name: 'device register', audit: 'device.register', allowed: ['operator', 'security-admin'], call: async (t) => (await register(t)).r },
    { name: 'secret create', audit: 'secret.create', allowed: ['operator', 'security-admin'], call: (t) => api('POST', `/devices/${deviceA.serial}/enrollment-secrets`, t, {}) },
    { name: 'sim show', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/sims/${deviceA.iccid}`, t) },
    {
      name: 'sim report-lost',
      audit: 'sim.report-lost',
      allowed: ['security-admin'],
      call: async (t) => {
        const { id } = await register();
        return api('POST', `/sims/${id.sim.iccid}/report-lost`, t, { reason: 'e2e: lost in the role matrix' });
      },
    },
    { name: 'certificate search', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/certificates?status=valid&limit=5`, t) },
    { name: 'attestation results', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/attestation-results?device=${deviceA.serial}`, t) },
    { name: 'revocation list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/revocations?limit=5', t) },
    { name: 'status', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/status', t) },
    { name: 'audit read', audit: '', allowed: ['security-admin'], call: (t) => api('GET', '/audit?limit=5', t) },
    { name: 'audit verify', audit: '', allowed: ['security-admin'], call: (t) => api('GET', '/audit/verify', t) },
    { name: 'token list', audit: '', allowed: ['security-admin'], call: (t) => api('GET', '/tokens', t) },
    { name: 'operator certificate list', audit: '', allowed: ['security-admin'], call: (t) => api('GET', '/operator-certificates', t) },
    {
      name: 'token create',
      audit: 'token.create',
      allowed: ['security-admin'],
      call: (t) => api('POST', '/tokens', t, { name: `made-${++counter}`, role: 'viewer', ttlDays: 1 }),
    },
    {
      name: 'token revoke',
      audit: 'token.revoke',
      allowed: ['security-admin'],
      call: async (t) => {
        const made = await api('POST', '/tokens', admin(), { name: `victim-${++counter}`, role: 'viewer', ttlDays: 1 });
        return api('DELETE', `/tokens/${made.body.info.id}`, t);
      },
    },
    // Routes of the EST/registry, revocation and policy work.
    { name: 'device details', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/devices/${deviceA.serial}/details`, t) },
    {
      name: 'device status change',
      audit: '',
      allowed: ['security-admin'],
      call: async (t) => {
        const { id } = await register();
        return api('PUT', `/devices/${id.serial}/status`, t, { status: 'quarantined' });
      },
    },
    {
      name: 'device import',
      audit: '',
      allowed: ['operator', 'security-admin'],
      call: (t) => {
        const id = newIdentity();
        return api('POST', '/devices/import', t, { rows: [{ line: 2, serial: id.serial, iccid: id.sim.iccid, imsi: id.sim.imsi, imei: id.sim.imei }] });
      },
    },
    { name: 'sim list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/sims?limit=5', t) },
    {
      name: 'sim add',
      audit: '',
      allowed: ['operator', 'security-admin'],
      call: (t) => {
        const id = newIdentity();
        return api('POST', '/sims', t, id.sim);
      },
    },
    // No such pending enrollment: allowed roles pass authorization and get 404.
    { name: 'enrollment approve', audit: '', allowed: ['operator', 'security-admin'], okStatus: 404, call: (t) => api('POST', '/enrollments/pending/00000000-0000-4000-8000-000000000000/approve', t) },
    { name: 'enrollment reject', audit: '', allowed: ['operator', 'security-admin'], okStatus: 404, call: (t) => api('POST', '/enrollments/pending/00000000-0000-4000-8000-000000000000/reject', t) },
    { name: 'est label list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/est-labels', t) },
    { name: 'est label set', audit: '', allowed: ['security-admin'], call: (t) => api('PUT', `/est-labels/matrix-${++counter}`, t, { requireApproval: false }) },
    { name: 'enrollment list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/enrollments?limit=5', t) },
    { name: 'pending enrollment list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/enrollments/pending', t) },
    // Allowed roles pass authorization and meet the service's answer for a SIM without certificates.
    { name: 'revoke', audit: '', allowed: ['security-admin'], okStatus: 404, call: (t) => api('POST', '/revocations', t, { iccid: deviceA.iccid, reason: 'superseded' }) },
    { name: 'revocation agents', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/revocations/agents', t) },
    { name: 'policy list', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/policies', t) },
    { name: 'policy show', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/policies/1', t) },
    // Version 1 is already active: the policy-admin passes authorization and hears so (409).
    { name: 'policy activate', audit: '', allowed: ['policy-admin'], okStatus: 409, call: (t) => api('POST', '/policies/1/activate', t, { reason: 'role matrix' }) },
    {
      name: 'policy upload',
      audit: '',
      allowed: ['policy-admin'],
      call: (t) => api('POST', '/policies', t, { document: JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'policy-example.json'), 'utf8')), activate: false }),
    },
    { name: 'device decisions', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/devices/${deviceA.serial}/decisions`, t) },
    // Routes of the web console.
    { name: 'session', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/session', t) },
    { name: 'sim search', audit: '', allowed: [...ROLES], call: (t) => api('GET', `/sims/search?iccid=${deviceA.iccid}`, t) },
    { name: 'certificate timeline', audit: '', allowed: [...ROLES], call: (t) => api('GET', '/certificates/timeline?bucketSeconds=3600&buckets=2', t) },
    {
      name: 'fleet stream',
      audit: '',
      allowed: [...ROLES],
      call: async (t) => {
        // Server-sent events: the status line and headers are enough; the stream itself is not read.
        const ac = new AbortController();
        const res = await fetch(`${suite.apiUrl}/status/stream`, { headers: { authorization: `Bearer ${t}` }, signal: ac.signal });
        const body = res.ok ? {} : await res.json();
        ac.abort();
        return { status: res.status, body };
      },
    },
    {
      name: 'sim restore',
      audit: 'sim.restore',
      allowed: ['security-admin'],
      call: async (t) => {
        const { id } = await register();
        expect((await api('POST', `/sims/${id.sim.iccid}/report-lost`, admin(), { reason: 'e2e: lost before a restore' })).status).toBe(200);
        return api('POST', `/sims/${id.sim.iccid}/restore`, t, { reason: 'e2e: found again' });
      },
    },
  ];

  const matrix = actions.flatMap((a) => ROLES.map((role) => [`${a.allowed.includes(role) ? 'ok' : 'fail'}/${role} ${a.name}`, role, a] as const));

  it.each(matrix)('%s', async (_name, role, action) => {
    const r = await action.call(tokens[role]);
    if (action.allowed.includes(role) && action.okStatus !== undefined) {
      expect(r.status).toBe(action.okStatus);
    } else if (action.allowed.includes(role)) {
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.status).toBeLessThan(300);
    } else {
      expect(r.status).toBe(403);
      expect((r as { body?: { error?: { code?: string } } }).body?.error?.code).toBe('FORBIDDEN');
    }
  });

  it('audits every refusal with the actor, role and permission, and every allowed change', async () => {
    const all: Record<string, any>[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const page = await api('GET', `/audit?limit=1000&after=${after}`, admin());
      expect(page.status).toBe(200);
      all.push(...page.body.entries);
      after = page.body.nextCursor;
    }
    for (const [, role, action] of matrix) {
      if (!action.allowed.includes(role)) {
        const denied = all.find((e) => e.actor === tokenNames[role] && e.outcome === 'denied' && (action.audit === '' || e.action === action.audit));
        expect(denied).toMatchObject({ role, status: 403 });
        expect(denied!.detail).toMatch(/^needs /);
      } else if (action.audit) {
        expect(all.find((e) => e.actor === tokenNames[role] && e.outcome === 'ok' && e.action === action.audit)).toBeDefined();
      }
    }
    // A route without a declared action is named by its pattern, never by the raw URL.
    expect(all.find((e) => e.actor === tokenNames.viewer && e.outcome === 'denied' && e.target === '/api/v1/audit/verify')).toMatchObject({ action: 'GET /api/v1/audit/verify' });
    const lost = all.find((e) => e.action === 'sim.report-lost' && e.outcome === 'ok');
    expect(lost).toMatchObject({ role: 'security-admin', reason: 'e2e: lost in the role matrix', status: 200 });
    expect(lost!.device).toMatch(/^[0-9a-f-]{36}$/);
    expect(all.map((e) => e.seq)).toEqual(all.map((_e, i) => i + 1));
  });

  it('answers 401 without a credential and for an unknown, expired or revoked token', async () => {
    const none = await api('GET', '/status', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await api('GET', '/status', null, undefined, { authorization: 'Basic YTpi' })).status).toBe(401);
    expect((await api('GET', '/status', `iis_${'A'.repeat(43)}`)).status).toBe(401);

    const expiring = await api('POST', '/tokens', admin(), { name: `expiring-${++counter}`, role: 'viewer', ttlDays: 1 });
    expect((await api('GET', '/status', expiring.body.token)).status).toBe(200);
    await sql(db === 'sqlite'
      ? `UPDATE operator_tokens SET expiresAt = '2000-01-01 00:00:00.000' WHERE id = '${expiring.body.info.id}'`
      : `UPDATE operator_tokens SET "expiresAt" = '2000-01-01T00:00:00Z' WHERE id = '${expiring.body.info.id}'`);
    expect((await api('GET', '/status', expiring.body.token)).status).toBe(401);

    const revoked = await api('POST', '/tokens', admin(), { name: `revoked-${++counter}`, role: 'operator', ttlDays: 1 });
    expect((await api('GET', '/status', revoked.body.token)).status).toBe(200);
    expect((await api('DELETE', `/tokens/${revoked.body.info.id}`, admin())).status).toBe(200);
    expect((await api('GET', '/status', revoked.body.token)).status).toBe(401);
    const listed = await api('GET', '/tokens?all=true', admin());
    const view = listed.body.tokens.find((t: { id: string }) => t.id === revoked.body.info.id);
    expect(view).toMatchObject({ status: 'revoked' });
    expect(JSON.stringify(listed.body)).not.toContain(revoked.body.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/"hash"/);
  });

  const injections = [
    "x' OR '1'='1",
    "'; DROP TABLE onboarding_devices; --",
    '1; DELETE FROM audit_entries',
    '../../../etc/passwd',
    '%00',
    '${jndi:ldap://x/a}',
    '<script>alert(1)</script>',
    'a'.repeat(5000),
  ];
  it.each(injections.map((s) => [s.slice(0, 40), s]))('injection in every path parameter and filter is harmless: %s', async (_n, evil) => {
    const e = encodeURIComponent(evil);
    const calls: [string, string][] = [
      ['GET', `/devices/${e}`],
      ['POST', `/devices/${e}/enrollment-secrets`],
      ['GET', `/sims/${e}`],
      ['POST', `/sims/${e}/report-lost`],
      ['DELETE', `/tokens/${e}`],
      ['DELETE', `/operator-certificates/${e}`],
      ['GET', `/devices?status=${e}`],
      ['GET', `/devices?deviceClass=${e}`],
      ['GET', `/devices?after=${e}`],
      ['GET', `/devices?limit=${e}`],
      ['GET', `/certificates?deviceId=${e}`],
      ['GET', `/certificates?iccid=${e}`],
      ['GET', `/certificates?serial=${e}`],
      ['GET', `/certificates?status=${e}`],
      ['GET', `/certificates?expiresBefore=${e}`],
      ['GET', `/certificates?cursor=${e}`],
      ['GET', `/certificates?limit=${e}`],
      ['GET', `/certificates?${e}=1`],
      ['GET', `/revocations?since=${e}`],
      ['GET', `/revocations?deviceId=${e}`],
      ['GET', `/revocations?iccid=${e}`],
      ['GET', `/revocations?after=${e}`],
      ['GET', `/audit?device=${e}`],
      ['GET', `/audit?since=${e}`],
      ['GET', `/audit?actor=${e}`],
      ['GET', `/audit?action=${e}`],
      ['GET', `/audit?after=${e}`],
      ['GET', `/tokens?all=${e}`],
      ['GET', `/audit?device=a&device=${e}`],
    ];
    for (const [method, p] of calls) {
      const r = await api(method, p, admin(), method === 'GET' || method === 'DELETE' ? undefined : { reason: evil.slice(0, 300) });
      // A clear refusal or an empty answer; never a server error, never data it should not give.
      expect([method, p.slice(0, 80), r.status < 500]).toEqual([method, p.slice(0, 80), true]);
      if (r.status === 200 && Array.isArray(r.body.certificates)) expect(r.body.certificates).toEqual([]);
      if (r.status === 200 && Array.isArray(r.body.revocations)) expect(r.body.revocations).toEqual([]);
      if (r.status === 200 && Array.isArray(r.body.entries)) expect(r.body.entries).toEqual([]);
    }
    // Everything is still there and intact.
    expect((await api('GET', `/devices/${deviceA.serial}`, admin())).status).toBe(200);
    expect((await api('GET', '/audit/verify', admin())).body.ok).toBe(true);
  });

  it('serves a complete OpenAPI document without a credential', async () => {
    const r = await api('GET', '/openapi.json', null);
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\./);
    const expected: [string, string][] = [
      ['get', '/api/v1/health'],
      ['post', '/api/v1/devices'],
      ['get', '/api/v1/devices'],
      ['get', '/api/v1/devices/{serial}'],
      ['post', '/api/v1/devices/{serial}/enrollment-secrets'],
      ['get', '/api/v1/sims/{iccid}'],
      ['post', '/api/v1/sims/{iccid}/report-lost'],
      ['get', '/api/v1/certificates'],
      ['get', '/api/v1/revocations'],
      ['get', '/api/v1/status'],
      ['get', '/api/v1/audit'],
      ['get', '/api/v1/audit/verify'],
      ['get', '/api/v1/tokens'],
      ['post', '/api/v1/tokens'],
      ['delete', '/api/v1/tokens/{id}'],
      ['post', '/api/v1/operator-certificates'],
      ['get', '/api/v1/operator-certificates'],
      ['delete', '/api/v1/operator-certificates/{id}'],
      ['get', '/api/v1/session'],
      ['get', '/api/v1/sims/search'],
      ['post', '/api/v1/sims/{iccid}/restore'],
      ['get', '/api/v1/certificates/timeline'],
      ['get', '/api/v1/status/stream'],
      ['get', '/api/v1/attestation-results'],
      ['get', '/api/v1/attestation-results/{id}'],
    ];
    // Each of these: present, bearer auth, a typed success answer, and its 401/403.
    for (const [method, p] of expected) {
      const op = doc.paths[p]?.[method];
      expect([method, p, !!op]).toEqual([method, p, true]);
      if (p === '/api/v1/health') continue;
      const ok = Object.entries<any>(op.responses).find(([code]) => code.startsWith('2'));
      expect([method, p, !!op.security, !!ok?.[1].content, !!op.responses['401'], !!op.responses['403']]).toEqual([method, p, true, true, true, true]);
    }
    // Every other operation (other features' routes too) at least says it needs a credential.
    for (const [p, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      if (p === '/api/v1/health') continue;
      for (const [method, op] of Object.entries<any>(ops)) expect([method, p, !!op.security, !!op.responses['401'], !!op.responses['403']]).toEqual([method, p, true, true, true]);
    }
    expect(doc.components.schemas.ReportLostDto.required).toContain('reason');
  });

  it('accepts operator mTLS certificates from the CA once bound, with the bound role, and stops when unbound or revoked', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-mtls-'));
    const nc = await connectNats(suite.natsUrl, 'e2e-operator-cert');
    const rpc = new RpcClient(nc);
    // Until the CA's operator profile lands, a clientAuth certificate without a device identity.
    const issue = async (name: string, extra: Partial<IssueCertificateRequest> = {}) => {
      const r = run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(work, `${name}.key`), '-subj', `/CN=${name}`, '-outform', 'DER', '-out', path.join(work, `${name}.csr`)]);
      expect(r.code).toBe(0);
      const issued = await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, {
        csr: fs.readFileSync(path.join(work, `${name}.csr`)).toString('base64'), profile: 'device', subject: { commonName: name }, ttlSeconds: 3600, ...extra,
      });
      const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      fs.writeFileSync(path.join(work, `${name}.pem`), pem(issued.certificate));
      fs.writeFileSync(path.join(work, 'ca.pem'), issued.chain.map(pem).join(''));
      return pem(issued.certificate);
    };
    const curl = (name: string | null, method: string, p: string) =>
      run('curl', ['-s', '-o', '-', '-w', '\n%{http_code}', '-X', method, '--cacert', path.join(work, 'ca.pem'),
        ...(name ? ['--cert', path.join(work, `${name}.pem`), '--key', path.join(work, `${name}.key`)] : []),
        `https://localhost:${mtlsPort}/api/v1${p}`]);
    const status = (r: { stdout: string }) => Number(r.stdout.trim().split('\n').pop());
    try {
      const alice = await issue('alice-op');
      expect(status(curl('alice-op', 'GET', '/status'))).toBe(401); // not bound yet
      expect(alice).toContain('BEGIN CERTIFICATE');
      const added = idctlRun(['operator-cert', 'add', '--name', 'alice-op', '--role', 'viewer', '--cert', path.join(work, 'alice-op.pem'), '--json']);
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      const bound = { body: JSON.parse(added.stdout) };
      expect(idctlRun(['operator-cert', 'list']).stdout).toContain('alice-op');
      expect(status(curl('alice-op', 'GET', '/status'))).toBe(200);
      expect(status(curl('alice-op', 'POST', '/tokens'))).toBe(403); // a viewer, whatever the channel
      expect(curl(null, 'GET', '/status').code).not.toBe(0); // no client certificate: no TLS session
      expect((await api('GET', '/operator-certificates', tokens.viewer)).status).toBe(403);

      // A device's certificate can never be an operator credential.
      const device = await issue('device-op', { subject: { commonName: 'device-op', deviceId: deviceA.id }, deviceId: deviceA.id });
      expect((await api('POST', '/operator-certificates', admin(), { name: 'device-op', role: 'viewer', certificate: device })).status).toBe(400);
      expect((await api('POST', '/operator-certificates', admin(), { name: 'junk', role: 'viewer', certificate: 'not a cert' })).status).toBe(400);

      // Unbinding ends access at once.
      expect((await api('DELETE', `/operator-certificates/${bound.body.id}`, admin())).status).toBe(200);
      expect(status(curl('alice-op', 'GET', '/status'))).toBe(401);

      // Revoked at the CA (here: its SIM reported lost) ends access too.
      const { r: reg, id } = await register();
      expect(reg.status).toBe(201);
      const bob = await issue('bob-op', { iccid: id.sim.iccid });
      expect((await api('POST', '/operator-certificates', admin(), { name: 'bob-op', role: 'operator', certificate: bob })).status).toBe(201);
      expect(status(curl('bob-op', 'GET', '/status'))).toBe(200);
      expect((await api('POST', `/sims/${id.sim.iccid}/report-lost`, admin(), { reason: 'e2e: revoke an operator certificate' })).status).toBe(200);
      let last = 0;
      for (let i = 0; i < 50 && last !== 401; i++) {
        last = status(curl('bob-op', 'GET', '/status'));
        if (last !== 401) await new Promise((r) => setTimeout(r, 200));
      }
      expect(last).toBe(401);
    } finally {
      await nc.drain();
    }
  });

  it('idctl: tokens, status, report lost, export the evidence, and verify catches a direct edit or deletion', async () => {
    // An operator token, made and listed with idctl.
    const made = idctlRun(['token', 'create', '--name', `idctl-op-${++counter}`, '--role', 'operator', '--json']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const op = JSON.parse(made.stdout);
    expect(op.info.role).toBe('operator');
    const listed = idctlRun(['token', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(op.info.name);
    expect(listed.stdout).not.toContain(op.token);

    // The operator registers a device; it may not report its SIM lost (exit 1, 403); the admin may.
    const { id } = newIdentityForIdctl();
    const added = idctlRun(['device', 'add', '--serial', id.serial, '--iccid', id.sim.iccid, '--imsi', id.sim.imsi, '--imei', id.sim.imei, '--json'], op.token);
    expect(added.code).toBe(0);
    const refused = idctlRun(['sim', 'report-lost', id.sim.iccid, '--reason', 'try'], op.token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN');
    const lost = idctlRun(['sim', 'report-lost', id.sim.iccid, '--reason', 'stolen, with "van" 17', '--json']);
    expect(lost.code).toBe(0);

    // A bulk import: good lines registered, bad ones reported by line, exit 1, with progress.
    const csvIn = path.join(os.tmpdir(), `iis-import-${process.pid}-${db}.csv`);
    const [i1, i2] = [newIdentity(), newIdentity()];
    fs.writeFileSync(csvIn, `serial,iccid,imsi,imei\n${i1.serial},${i1.sim.iccid},${i1.sim.imsi},${i1.sim.imei}\n${i2.serial},${i2.sim.iccid},${i2.sim.imsi},${i2.sim.imei}\nSN-BAD,123,456,789\n`);
    const imported = idctlRun(['device', 'import', csvIn, '--json'], op.token);
    fs.rmSync(csvIn);
    expect(imported.code).toBe(1);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2, rejected: [{ line: 4 }] });

    const listedDevices = idctlRun(['device', 'list', '--status', 'pending', '--limit', '1000', '--json']);
    expect(listedDevices.code).toBe(0);
    expect(JSON.parse(listedDevices.stdout).devices.map((d: { serial: string }) => d.serial)).toEqual(expect.arrayContaining([id.serial, i1.serial, i2.serial]));

    const status = idctlRun(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).devicesByStatus).toBeDefined();
    expect(idctlRun(['status']).stdout).toMatch(/^devices /m);

    // Evidence for that device: JSON Lines and CSV, to 0600 files, with progress.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-audit-'));
    const jsonl = path.join(work, 'evidence.jsonl');
    const exp = idctlRun(['audit', 'export', '--device', id.serial, '--since', '2000-01-01', '--output', jsonl, '--progress']);
    expect(exp.code).toBe(0);
    expect(exp.stderr).toMatch(/100%/);
    expect(fs.statSync(jsonl).mode & 0o777).toBe(0o600);
    const entries = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.action, e.outcome, e.actor])).toEqual([
      ['device.register', 'ok', op.info.name],
      ['secret.create', 'ok', op.info.name], // idctl device add also makes the first secret
      ['sim.report-lost', 'denied', op.info.name],
      ['sim.report-lost', 'ok', 'initial-admin'],
    ]);
    const csv = path.join(work, 'evidence.csv');
    expect(idctlRun(['audit', 'export', '--device', id.serial, '--format', 'csv', '--output', csv]).code).toBe(0);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('seq,at,actor,role,action,target,device,reason,outcome,status,detail,actorId,prevHash,hash');
    expect(rows).toHaveLength(5);
    expect(rows[4]).toContain('"stolen, with ""van"" 17"');
    expect(idctlRun(['audit', 'export', '--output', csv]).code).toBe(2); // never overwrites evidence

    // The chain holds; an edit made straight in the database is found and named.
    const ok = idctlRun(['audit', 'verify', '--json']);
    expect(ok.code).toBe(0);
    const head = JSON.parse(ok.stdout).head;
    const victim = entries[3].seq;
    await sql(`UPDATE audit_entries SET reason = 'routine check' WHERE seq = ${victim}`);
    const edited = idctlRun(['audit', 'verify']);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(`first-broken-entry=${victim}`);
    expect(edited.stdout).toContain('problem=hash');

    // Put it back, then delete an entry: the one after the gap is named.
    await sql(`UPDATE audit_entries SET reason = 'stolen, with "van" 17' WHERE seq = ${victim}`);
    expect(idctlRun(['audit', 'verify']).code).toBe(0);
    await sql(`DELETE FROM audit_entries WHERE seq = ${victim - 1}`);
    const deleted = JSON.parse(idctlRun(['audit', 'verify', '--json']).stdout);
    expect(deleted).toMatchObject({ ok: false, firstBroken: { seq: victim, problem: 'sequence' } });
    expect(head.seq).toBeGreaterThanOrEqual(victim);
  });

  it('slows brute force: after ten failures from one address, even a valid token waits (429, Retry-After)', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await api('GET', '/status', `iis_guess${i}${'x'.repeat(40)}`)).status;
    expect(last).toBe(429);
    const blocked = await api('GET', '/status', admin());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

function newIdentityForIdctl() {
  return { id: newIdentity() };
}
