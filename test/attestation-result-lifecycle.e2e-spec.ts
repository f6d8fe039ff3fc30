import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
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
import { CurlEst, makeCsr } from './support/est-client';
import { freeOpsPorts } from './support/ops-ports';
import { databaseEnv, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { RunningSuite, startSuite } from './support/suite';

/**
 * An attestation result is spent only by an enrollment that issues a certificate. Real: the
 * built suite (nats-server, the database, every service as a process), curl as the device over
 * HTTPS, openssl for its CSRs; the CA process is paused (SIGSTOP) to make issuance fail after
 * the enrollment has committed, as a CA that stops answering does.
 */
describe.each(databasesUnderTest())('attestation result: refused or failed issuance leaves it usable (%s)', (db) => {
  let suite: RunningSuite;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let work: string;
  let est: CurlEst;
  let attest: CurlEst;
  let drop: (() => Promise<void>) | undefined;
  const serial = 'LIFECYCLE-1';
  const withCheckDigit = (digits: string) => digits + [...'0123456789'].find((d) => luhnValid(digits + d))!;
  const sim = { iccid: withCheckDigit('894430000000000991'), imsi: '234150000000991', imei: withCheckDigit('35000000009991') };

  function post(op: string, json: object) {
    const file = path.join(work, `req-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(json));
    const r = attest.call(op, { body: file, contentType: 'application/json' });
    return { status: r.status, json: (r.body ? JSON.parse(r.body) : {}) as Record<string, any> };
  }
  /** The key of the last certificate issued: bound to the SIM, so SIM evidence proves it. */
  let boundKey: string | undefined;
  /** SIM evidence, with the bound key's signature over the nonce once there is one: a passing result. */
  function attestBySim(): AttestationResultView {
    const nonce = post('challenges', { serial }).json.nonce as string;
    let proof = {};
    if (boundKey) {
      fs.writeFileSync(path.join(work, 'nonce.bin'), Buffer.from(nonce, 'base64'));
      expect(run('openssl', ['dgst', '-sha256', '-sign', boundKey, '-out', path.join(work, 'nonce.sig'), path.join(work, 'nonce.bin')]).code).toBe(0);
      const spki = run('openssl', ['pkey', '-in', boundKey, '-pubout']).stdout.replace(/-----[A-Z ]+-----|\s/g, '');
      proof = { publicKey: spki, keySignature: fs.readFileSync(path.join(work, 'nonce.sig')).toString('base64') };
    }
    const r = post('evidence', { serial, nonce, type: 'sim', sim: { ...sim, ...proof } });
    expect(r.status).toBe(201);
    return r.json as AttestationResultView;
  }
  const stored = (id: string) => rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id });
  const enroll = (secret: string, resultId: string, body?: string) => {
    const csr = makeCsr(work, `csr-${Math.random().toString(36).slice(2)}`);
    const r = est.call('simpleenroll', { body: body ?? csr.b64, user: serial, password: secret, extra: ['-H', `Attestation-Result: ${resultId}`] });
    if (r.status === 200) boundKey = csr.key;
    return r;
  };
  const caPid = () => Number(/"service":"ca","pid":(\d+)/.exec(suite.output())![1]);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-attest-life-'));
    const env = await databaseEnv(db);
    drop = env.drop;
    suite = await startSuite({ ...env.env, ...(await freeOpsPorts()), EST_ATTESTATION_REQUIRED_CLASSES: 'tpm-sensor', EST_RATE_PER_DEVICE_PER_MINUTE: '0' });
    nc = await connect({ servers: suite.natsUrl });
    rpc = new RpcClient(nc);
    const imported = await rpc.request<ImportDevicesRequest, ImportDevicesReply>(OnboardingSubjects.importDevices, {
      rows: [{ line: 1, serial, deviceClass: 'tpm-sensor', firmwareVersion: '1.0.0', ...sim }],
      actor: 'e2e',
    });
    expect(imported.rejected).toEqual([]);
    const caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    est = new CurlEst(suite.estUrl, caFile, work);
    attest = new CurlEst(suite.estUrl.replace('/.well-known/est', '/.well-known/attestation/v1'), caFile, work);
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
});
