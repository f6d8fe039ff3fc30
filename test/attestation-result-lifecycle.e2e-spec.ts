import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  AttestationResultView,
  CreateSecretReply,
  CreateSecretRequest,
  GetAttestationResultRequest,
  ImportDevicesReply,
  ImportDevicesRequest,
  OnboardingSubjects,
  ReleaseAttestationResultReply,
  ReleaseAttestationResultRequest,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { luhnValid } from '../services/onboarding/src/registry/identifiers';
import { deviceClients, postJson, simKeyProof } from './support/attestation-device';
import { CurlEst, makeCsr } from './support/est-client';
import { databaseEnv, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * An attestation result is spent only by an enrollment that issues a certificate. Real: the
 * built suite (nats-server, the database, every service as a process), curl as the device over
 * HTTPS, openssl for its CSRs; the CA process is paused (SIGSTOP) to make issuance fail after
 * the enrollment has committed, as a CA that stops answering does. The operator reads the
 * results through the operator API (fetch) and idctl (the built CLI).
 */
describe.each(databasesUnderTest())('attestation result: refused or failed issuance leaves it usable (%s)', (db) => {
  let suite: RunningSuite;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let work: string;
  let est: CurlEst;
  let attest: CurlEst;
  let drop: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  const serial = 'LIFECYCLE-1';
  const withCheckDigit = (digits: string) => digits + [...'0123456789'].find((d) => luhnValid(digits + d))!;
  const sim = { iccid: withCheckDigit('894430000000000991'), imsi: '234150000000991', imei: withCheckDigit('35000000009991') };

  const post = (op: string, json: object) => postJson(attest, work, op, json);
  /** The key of the last certificate issued: bound to the SIM, so SIM evidence proves it. */
  let boundKey: string | undefined;
  /** SIM evidence, with the bound key's signature over the nonce once there is one: a passing result. */
  function attestBySim(): AttestationResultView {
    const nonce = post('challenges', { serial }).json.nonce as string;
    const r = post('evidence', { serial, nonce, type: 'sim', sim: { ...sim, ...(boundKey ? simKeyProof(work, nonce, boundKey) : {}) } });
    expect(r.status).toBe(201);
    return r.json as unknown as AttestationResultView;
  }
  const stored = (id: string) => rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id });
  const enroll = (secret: string, resultId: string, body?: string) => {
    const csr = makeCsr(work, `csr-${Math.random().toString(36).slice(2)}`);
    const r = est.call('simpleenroll', { body: body ?? csr.b64, user: serial, password: secret, extra: ['-H', `Attestation-Result: ${resultId}`] });
    if (r.status === 200) boundKey = csr.key;
    return r;
  };
  /** Challenge ids still stored, read straight from the attestation service's database. */
  async function storedChallenges(): Promise<string[]> {
    const sql = 'select id from attestation_challenges';
    if (dbUrl) {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return (await c.query(sql)).rows.map((r) => r.id as string);
      } finally {
        await c.end();
      }
    }
    const file = new Database(path.join(suite.dataDir, 'attestation.sqlite'), { readonly: true });
    try {
      return (file.prepare(sql).all() as { id: string }[]).map((r) => r.id);
    } finally {
      file.close();
    }
  }
  const caPid = () => Number(/"service":"ca","pid":(\d+)/.exec(suite.output())![1]);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-attest-life-'));
    const env = await databaseEnv(db);
    drop = env.drop;
    dbUrl = env.env.DATABASE_URL;
    suite = await startSuite({
      ...env.env,
      EST_ATTESTATION_REQUIRED_CLASSES: 'tpm-sensor',
      EST_RATE_PER_DEVICE_PER_MINUTE: '0',
      ATTESTATION_PRUNE_INTERVAL_SECONDS: '1',
    });
    nc = await connect({ servers: suite.natsUrl });
    rpc = new RpcClient(nc);
    const imported = await rpc.request<ImportDevicesRequest, ImportDevicesReply>(OnboardingSubjects.importDevices, {
      rows: [{ line: 1, serial, deviceClass: 'tpm-sensor', firmwareVersion: '1.0.0', ...sim }],
      actor: 'e2e',
    });
    expect(imported.rejected).toEqual([]);
    ({ est, attest } = deviceClients(suite, work));
  });

  afterAll(async () => {
    try {
      process.kill(caPid(), 'SIGCONT');
    } catch {
      // already running or gone
    }
    await nc?.drain();
    await suite?.stop();
    if (drop) await drop();
  });

  it('ok/refused before the commit (a CSR that is not one) → 400, the result is unspent and enrolls on the retry', async () => {
    const result = attestBySim();
    const { secret } = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    const garbage = path.join(work, 'garbage.b64');
    fs.writeFileSync(garbage, Buffer.from('not a CSR').toString('base64'));
    const refused = enroll(secret, result.id, garbage);
    expect(refused.status).toBe(400);
    expect(await stored(result.id)).toMatchObject({ usedAt: null });
    expect(enroll(secret, result.id).status).toBe(200);
    expect((await stored(result.id)).usedAt).not.toBeNull();
  });

  it('ok/issuance fails after the commit (the CA does not answer) → 503, the result is released and enrolls on the retry, once', async () => {
    const result = attestBySim();
    const { secret } = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    const pid = caPid();
    process.kill(pid, 'SIGSTOP');
    let failed;
    try {
      failed = enroll(secret, result.id);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(failed.status).toBe(503);
    expect(failed.body).toContain(Subjects.ca.issue);
    expect(await stored(result.id)).toMatchObject({ usedAt: null });

    const retry = enroll(secret, result.id);
    expect({ status: retry.status, body: retry.status === 200 ? '' : retry.body }).toEqual({ status: 200, body: '' });
    const { secret: another } = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    const again = enroll(another, result.id);
    expect(again.status).toBe(403);
    expect(again.body).toContain('already used');
  });

  it('fail/a release by another redemption (late or forged) frees nothing', async () => {
    const result = attestBySim();
    const { secret } = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    expect(enroll(secret, result.id).status).toBe(200);
    const reply = await rpc.request<ReleaseAttestationResultRequest, ReleaseAttestationResultReply>(Subjects.attestation.releaseResult, {
      id: result.id,
      deviceId: result.deviceId,
      redemptionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(reply).toEqual({ released: false });
    expect((await stored(result.id)).usedAt).not.toBeNull();
    await expect(rpc.request(Subjects.attestation.releaseResult, { id: 'nope', deviceId: result.deviceId, redemptionId: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('ok/the periodic pruning (every second here) deletes an expired challenge and keeps a live one', async () => {
    const short = post('challenges', { serial, ttlSeconds: 1 });
    const long = post('challenges', { serial, ttlSeconds: 300 });
    expect([short.status, long.status]).toEqual([201, 201]);
    expect(await storedChallenges()).toEqual(expect.arrayContaining([short.json.challengeId, long.json.challengeId]));
    let left = await storedChallenges();
    for (let i = 0; i < 100 && left.includes(short.json.challengeId); i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await storedChallenges();
    }
    expect(left).not.toContain(short.json.challengeId);
    expect(left).toContain(long.json.challengeId);
  });

  describe('operator visibility: the operator API and idctl', () => {
    const idctl = (...args: string[]) => run(process.execPath, [path.join(repoRoot, 'bin', 'idctl.js'), ...args], { env: { ...suite.idctlEnv, IDCTL_TOKEN: suite.token } });
    const api = async (p: string, token: string | null = suite.token) => {
      const res = await fetch(suite.apiUrl + p, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    let passed: AttestationResultView;
    let refusedId: string;

    beforeAll(() => {
      passed = attestBySim();
      // The same SIM in another modem: refused with a reason code, and kept for the operator.
      const r = post('evidence', { serial, nonce: post('challenges', { serial }).json.nonce, type: 'sim', sim: { ...sim, imei: withCheckDigit('35000000009992') } });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIM_MISMATCH/);
    });

    it('ok/GET /attestation-results?device=: passes and refusals of the device, newest first, with reason codes', async () => {
      const r = await api(`/attestation-results?device=${serial}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ serial, deviceId: passed.deviceId });
      const results = r.body.results as AttestationResultView[];
      expect(results.length).toBeGreaterThanOrEqual(5);
      expect(results.map((x) => x.issuedAt)).toEqual([...results.map((x) => x.issuedAt)].sort().reverse());
      expect(results[0]).toMatchObject({ verdict: 'fail', reasonCode: 'SIM_MISMATCH', evidenceType: 'sim', usedAt: null });
      expect(results[0].reason).toContain('possible clone or SIM swap');
      refusedId = results[0].id;
      expect(results.find((x) => x.id === passed.id)).toMatchObject({ verdict: 'pass', reasonCode: null, claims: { 'sim.iccid': sim.iccid } });
      expect((await api(`/attestation-results?device=${serial}&limit=1`)).body.results).toHaveLength(1);
    });

    it('ok/GET /attestation-results/:id: verdict, evidence type, claims, expiry and the signed token', async () => {
      const r = await api(`/attestation-results/${passed.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: passed.id, verdict: 'pass', evidenceType: 'sim', expiresAt: passed.expiresAt, token: passed.token, claims: passed.claims });
      expect(await api(`/attestation-results/${refusedId}`)).toMatchObject({ status: 200, body: { verdict: 'fail', reasonCode: 'SIM_MISMATCH' } });
    });

    it.each([
      ['fail/unknown id → 404', '/attestation-results/00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
      ['fail/malformed id → 400', '/attestation-results/not-a-uuid', 400, 'BAD_REQUEST'],
      ['fail/unknown device → 404', '/attestation-results?device=NO-SUCH-DEVICE', 404, 'NOT_FOUND'],
      ['fail/no device → 400', '/attestation-results', 400, 'BAD_REQUEST'],
      ['fail/limit out of range → 400', `/attestation-results?device=${serial}&limit=501`, 400, 'BAD_REQUEST'],
      ['fail/unknown filter → 400', `/attestation-results?device=${serial}&verdict=pass`, 400, 'BAD_REQUEST'],
    ])('%s', async (_name, p, status, code) => {
      expect(await api(p)).toMatchObject({ status, body: { error: { code } } });
    });

    it.each([
      ['fail/no credential → 401', null],
      ['fail/an unknown token → 401', `iis_${'A'.repeat(43)}`],
    ])('%s', async (_name, token) => {
      expect((await api(`/attestation-results/${passed.id}`, token)).status).toBe(401);
      expect((await api(`/attestation-results?device=${serial}`, token)).status).toBe(401);
    });

    it('ok/idctl attestation list --device and show <id>', () => {
      const list = idctl('attestation', 'list', '--device', serial);
      expect({ code: list.code, err: list.stderr }).toEqual({ code: 0, err: '' });
      expect(list.stdout).toContain(`device ${serial} (${passed.deviceId})`);
      expect(list.stdout).toMatch(new RegExp(`${refusedId}  sim\\s+FAIL SIM_MISMATCH`));
      expect(list.stdout).toMatch(new RegExp(`${passed.id}  sim\\s+pass  redeemable until`));
      const show = idctl('attestation', 'show', passed.id);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('verdict   pass\n');
      expect(show.stdout).toContain(`  sim.iccid = ${sim.iccid}\n`);
      expect(JSON.parse(idctl('attestation', 'show', refusedId, '--json').stdout)).toMatchObject({ verdict: 'fail', reasonCode: 'SIM_MISMATCH' });
    });

    it.each([
      ['fail/idctl attestation show of an unknown id exits 1', ['show', '00000000-0000-4000-8000-000000000000'], 1, /NOT_FOUND|not found|no attestation result/i],
      ['fail/idctl attestation show of a malformed id is a usage error', ['show', 'nope'], 2, /must be an attestation result id/],
      ['fail/idctl attestation list without --device is a usage error', ['list'], 2, /--device is required/],
    ])('%s', (_name, args, code, message) => {
      const r = idctl('attestation', ...args);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
    });
  });
});
