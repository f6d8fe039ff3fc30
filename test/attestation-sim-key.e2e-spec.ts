import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
import {
  CreateSecretReply,
  CreateSecretRequest,
  DeviceDecisionsReply,
  DeviceDecisionsRequest,
  FactStreams,
  GetSimRequest,
  ImportDevicesReply,
  ImportDevicesRequest,
  OnboardingSubjects,
  PolicySubjects,
  SimSeenEvent,
  SimView,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { luhnValid } from '../services/onboarding/src/registry/identifiers';
import { deviceClients, postJson, simKeyProof } from './support/attestation-device';
import { factAfter, factPosition } from './support/facts';
import { certFromCertsOnly, CurlEst, makeCsr } from './support/est-client';
import { databaseEnv, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { RunningSuite, startSuite } from './support/suite';

/**
 * SIM attestation with the device key bound to the SIM. Real: the built suite (nats-server,
 * the database, every service as a process), openssl as the device (keys, CSRs, the nonce
 * signature), curl over HTTPS for EST and the attestation calls, the policy service folding the
 * sighting into its facts.
 */
describe.each(databasesUnderTest())('attestation: SIM bound to the device key (%s)', (db) => {
  let suite: RunningSuite;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let work: string;
  let est: CurlEst;
  let attest: CurlEst;
  let drop: (() => Promise<void>) | undefined;
  const withCheckDigit = (digits: string) => digits + [...'0123456789'].find((d) => luhnValid(digits + d))!;
  const sim = (n: number) => ({ iccid: withCheckDigit(`894430000000000${80 + n}`), imsi: `2341500000000${80 + n}`, imei: withCheckDigit(`3500000000${8000 + n}`) });
  const devices = { rotating: 'SIMKEY-1', cloned: 'SIMKEY-2' };

  const openssl = (...args: string[]) => {
    const r = run('openssl', args);
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** SHA-256 of the key's SubjectPublicKeyInfo, as openssl writes it. */
  const fingerprint = (key: string) => {
    const der = path.join(work, `${path.basename(key)}.spki.der`);
    openssl('pkey', '-in', key, '-pubout', '-outform', 'DER', '-out', der);
    return { der: fs.readFileSync(der), sha256: createHash('sha256').update(fs.readFileSync(der)).digest('hex') };
  };

  const post = (op: string, json: object) => postJson(attest, work, op, json);

  /** A fresh challenge, answered with the SIM's identifiers and, when given, the nonce signed with `key` (openssl dgst). */
  function simEvidence(serial: string, n: number, key?: string) {
    const nonce = post('challenges', { serial }).json.nonce as string;
    return post('evidence', { serial, nonce, type: 'sim', sim: { ...sim(n), ...(key ? simKeyProof(work, nonce, key) : {}) } });
  }

  const boundKey = async (n: number) => (await rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid: sim(n).iccid })).keySha256;

  async function enroll(serial: string, name: string) {
    const secret = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    const csr = makeCsr(work, name);
    const r = est.call('simpleenroll', { body: csr.b64, user: serial, password: secret.secret });
    expect(r.status).toBe(200);
    return { key: csr.key, cert: certFromCertsOnly(r.file) };
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-simkey-'));
    const env = await databaseEnv(db);
    drop = env.drop;
    suite = await startSuite({ ...env.env, EST_RATE_PER_DEVICE_PER_MINUTE: '0' });
    nc = await connect({ servers: suite.natsUrl });
    rpc = new RpcClient(nc);
    const imported = await rpc.request<ImportDevicesRequest, ImportDevicesReply>(OnboardingSubjects.importDevices, {
      rows: [
        { line: 1, serial: devices.rotating, deviceClass: 'sensor', firmwareVersion: '1.0.0', ...sim(1) },
        { line: 2, serial: devices.cloned, deviceClass: 'sensor', firmwareVersion: '1.0.0', ...sim(2) },
      ],
      actor: 'e2e',
    });
    expect(imported.rejected).toEqual([]);
    ({ est, attest } = deviceClients(suite, work));
  });

  afterAll(async () => {
    await nc?.drain();
    await suite?.stop();
    if (drop) await drop();
  });

  it('ok/before the first certificate no key is bound: SIM evidence passes with or without a key', () => {
    expect(simEvidence(devices.rotating, 1)).toMatchObject({ status: 201, json: { verdict: 'pass', claims: { 'sim.iccid': sim(1).iccid } } });
    const withKey = simEvidence(devices.rotating, 1, makeCsr(work, 'pre-enroll').key);
    expect(withKey.status).toBe(201);
    expect(withKey.json.claims['sim.keySha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ok/enrollment binds the certificate key to the SIM; re-enrollment with a new key moves the binding', async () => {
    expect(await boundKey(1)).toBeNull();
    const first = await enroll(devices.rotating, 'rotating-1');
    expect(await boundKey(1)).toBe(fingerprint(first.key).sha256);
    expect(simEvidence(devices.rotating, 1, first.key)).toMatchObject({ status: 201, json: { claims: { 'sim.keySha256': fingerprint(first.key).sha256 } } });

    // Key rotation: simplereenroll with a new key, authenticated by the current certificate.
    const subject = openssl('x509', '-in', first.cert, '-noout', '-subject', '-nameopt', 'compat').replace(/^subject=/, '').trim();
    const rekey = makeCsr(work, 'rotating-2', { subj: subject });
    expect(est.call('simplereenroll', { body: rekey.b64, cert: first.cert, key: first.key }).status).toBe(200);
    expect(await boundKey(1)).toBe(fingerprint(rekey.key).sha256);
    expect(simEvidence(devices.rotating, 1, rekey.key).status).toBe(201);
    // The retired key is now another key than the bound one.
    const old = simEvidence(devices.rotating, 1, first.key);
    expect(old.status).toBe(403);
    expect(old.json.error.message).toMatch(/^SIM_MISMATCH: possible clone or SIM swap: ICCID \d+ seen with key sha256:/);
  });

  it('fail/the bound SIM with another key: refused, and the policy engine gets sim.keyChanged and stops trusting the device', async () => {
    const genuine = await enroll(devices.cloned, 'cloned-genuine');
    const clone = makeCsr(work, 'clone').key;
    const seenBefore = await factPosition(nc, FactStreams.simSeen);
    const r = simEvidence(devices.cloned, 2, clone);
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/^SIM_MISMATCH: possible clone or SIM swap: ICCID \d+ seen with key sha256:/);

    const seen = await factAfter<SimSeenEvent>(nc, FactStreams.simSeen, seenBefore);
    expect(seen).toMatchObject({ kind: 'sim-seen', iccid: sim(2).iccid, keySha256: fingerprint(clone).sha256 });
    expect(seen.keySha256).not.toBe(fingerprint(genuine.key).sha256);

    const device = await rpc.request<{ serial: string }, { id: string }>(Subjects.onboarding.getDevice, { serial: devices.cloned });
    let reply: DeviceDecisionsReply | undefined;
    for (let i = 0; i < 100; i++) {
      reply = await rpc.request<DeviceDecisionsRequest, DeviceDecisionsReply>(PolicySubjects.deviceDecisions, { deviceId: device.id });
      if (reply.decisions.some((d) => d.explanation.some((f) => f.ruleId === 'sim-with-other-key'))) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const fired = reply!.decisions.find((d) => d.explanation.some((f) => f.ruleId === 'sim-with-other-key'));
    expect(fired?.facts).toMatchObject({ 'sim.keyChanged': true });
    // With the failed attestation fact beside it, the device is quarantined or denied, no longer trusted.
    expect(['quarantined', 'denied']).toContain(reply!.trustState);
  });

  it('fail/a key is bound and the evidence proves none', () => {
    const r = simEvidence(devices.rotating, 1);
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/^SIM_MISMATCH: possible clone: SIM \d+ is bound to a device key/);
  });

  it('fail/the nonce signed by another key than sim.publicKey → SIGNATURE_INVALID', () => {
    const nonce = post('challenges', { serial: devices.rotating }).json.nonce as string;
    const proof = simKeyProof(work, nonce, makeCsr(work, 'signer').key, makeCsr(work, 'claimed').key);
    const r = post('evidence', { serial: devices.rotating, nonce, type: 'sim', sim: { ...sim(1), ...proof } });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/^SIGNATURE_INVALID/);
  });

  it('fail/half a key proof is bad evidence → 400', () => {
    const nonce = post('challenges', { serial: devices.rotating }).json.nonce as string;
    const r = post('evidence', { serial: devices.rotating, nonce, type: 'sim', sim: { ...sim(1), publicKey: fingerprint(makeCsr(work, 'half').key).der.toString('base64') } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^BAD_EVIDENCE: sim.publicKey and sim.keySignature go together/);
  });
});
