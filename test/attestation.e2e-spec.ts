import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { AttestationResultEvent, AttestationResultView, CertificateSearchReply, CertificateSearchRequest, OperatorSubjects, FindCertificatesReply, FindCertificatesRequest, IssueCertificateRequest, IssuedCertificate, DeviceDecisionsReply, DeviceDecisionsRequest, FactStreams, PolicySubjects, MarkSimLostReply, MarkSimLostRequest, SimSeenEvent, CreateSecretReply, CreateSecretRequest, ImportDevicesReply, ImportDevicesRequest, OnboardingSubjects, Subjects } from '@iis/contracts';
import { parseTpm2bPublic } from '@iis/attestation';
import { RpcClient } from '@iis/messaging';
import { luhnValid } from '../services/onboarding/src/registry/identifiers';
import { Client } from 'pg';
import { deviceClients, postJson, simKeyProof } from './support/attestation-device';
import { CurlEst, makeCsr } from './support/est-client';
import { factAfter, factPosition } from './support/facts';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { RunningSuite, startSuite } from './support/suite';
import { SoftwareTpm, TpmDevice } from './support/swtpm';

/**
 * TPM 2.0 attestation end to end. Real: the built suite (nats-server, SQLite, every service as a
 * process), swtpm holding the device's EK and AK, tpm2-tools making quotes and activating
 * credentials, openssl as the TPM vendor CA and for the CSR, curl as the device over HTTPS.
 */
describe.each(databasesUnderTest())('attestation: TPM 2.0 quote, IDevID, SIM → result → enrollment (real swtpm + tpm2-tools, %s)', (db) => {
  let suite: RunningSuite;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let work: string;
  let tpm: SoftwareTpm;
  let device: TpmDevice;
  let keys: { ekPub: Buffer; akPub: Buffer };
  let attest: CurlEst;
  let est: CurlEst;
  const certs = { ek: '', ekChain: [] as string[], ak: '', rogueAk: '', rogueEk: '' };
  /** Issues a certificate for a TPM public key from a configured TPM vendor CA. */
  let vendorCertificate: (tpmPublic: Buffer, cn: string) => string;
  const serial = 'TPM-SENSOR-1';
  const other = 'TPM-SENSOR-2';

  const openssl = (...args: string[]) => {
    const r = run('openssl', args);
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const b64 = (b: Buffer) => b.toString('base64');
  const withCheckDigit = (digits: string) => digits + [...'0123456789'].find((d) => luhnValid(digits + d))!;
  const sim = (n: number) => ({ iccid: withCheckDigit(`894430000000000${60 + n}`), imsi: `2341500000000${60 + n}`, imei: withCheckDigit(`3500000000${6000 + n}`) });

  /** A CA and a certificate from it for a TPM public key (an AK CA, as an enterprise runs one). */
  function vendor(name: string, dir: string) {
    const key = path.join(work, `${name}.key`);
    const pem = path.join(dir, `${name}.pem`);
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', pem, '-days', '30', '-subj', `/O=${name}/CN=${name} TPM CA`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    return (tpmPublic: Buffer, cn: string) => {
      const pub = path.join(work, `${cn}.pub.pem`);
      const out = path.join(work, `${cn}.crt`);
      fs.writeFileSync(pub, parseTpm2bPublic(tpmPublic).key.export({ type: 'spki', format: 'pem' }));
      openssl('x509', '-new', '-subj', `/CN=${cn}`, '-force_pubkey', pub, '-CA', pem, '-CAkey', key, '-days', '10', '-out', out);
      return fs.readFileSync(out, 'utf8');
    };
  }

  /**
   * A manufacturer root (openssl) with IDevIDs: this device's, one it revoked (listed on the
   * root's CRL, made by `openssl ca -gencrl`), one for another serial; and one from a root
   * nobody configured. Returns the roots folder (root.pem + root.crl).
   */
  function manufacturer(): string {
    const roots = path.join(work, 'manufacturer-roots');
    fs.mkdirSync(roots);
    const ca = (name: string, dir: string) => {
      const key = path.join(work, `${name}.key`);
      const pem = path.join(dir, `${name}.pem`);
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', pem, '-days', '30', '-subj', `/O=${name}/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
      return { key, pem };
    };
    const leaf = (issuer: { key: string; pem: string }, name: string, serialNumber: string) => {
      const key = path.join(work, `${name}.key`);
      const csr = path.join(work, `${name}.csr`);
      const pem = path.join(work, `${name}.pem`);
      openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/O=Acme/CN=sensor/serialNumber=${serialNumber}`);
      openssl('x509', '-req', '-in', csr, '-CA', issuer.pem, '-CAkey', issuer.key, '-CAcreateserial', '-out', pem, '-days', '10');
      return { key, pem };
    };
    const acme = ca('acme-idevid-root', roots);
    const rogue = ca('rogue-idevid-root', work);
    Object.assign(idevids, { good: leaf(acme, 'idevid-good', serial), revoked: leaf(acme, 'idevid-revoked', serial), otherSerial: leaf(acme, 'idevid-other', other), unknownRoot: leaf(rogue, 'idevid-rogue', serial) });
    const db = path.join(work, 'ca-db');
    fs.mkdirSync(db);
    fs.writeFileSync(path.join(db, 'index.txt'), '');
    fs.writeFileSync(path.join(db, 'crlnumber'), '01\n');
    const conf = path.join(db, 'ca.cnf');
    fs.writeFileSync(conf, `[ca]\ndefault_ca = d\n[d]\ndatabase = ${db}/index.txt\ncrlnumber = ${db}/crlnumber\ndefault_md = sha256\ndefault_crl_days = 1\n`);
    openssl('ca', '-config', conf, '-keyfile', acme.key, '-cert', acme.pem, '-revoke', idevids.revoked.pem);
    openssl('ca', '-config', conf, '-keyfile', acme.key, '-cert', acme.pem, '-gencrl', '-out', path.join(roots, 'acme-idevid-root.crl'));
    return roots;
  }
  const idevids = {} as Record<'good' | 'revoked' | 'otherSerial' | 'unknownRoot', { key: string; pem: string }>;

  /** The device signs the nonce with an IDevID key (openssl dgst) and sends the certificate. */
  function idevidEvidence(nonce: string, cert: { key: string; pem: string }, signingKey = cert.key) {
    const n = path.join(work, 'nonce.bin');
    const sig = path.join(work, 'nonce.sig');
    fs.writeFileSync(n, Buffer.from(nonce, 'base64'));
    openssl('dgst', '-sha256', '-sign', signingKey, '-out', sig, n);
    return post(attest, 'evidence', { serial, nonce, type: 'idevid', idevid: { certificate: fs.readFileSync(cert.pem, 'utf8'), signature: b64(fs.readFileSync(sig)) } });
  }

  const post = (client: CurlEst, op: string, json: object, extra: string[] = []) => postJson(client, work, op, json, extra);

  const challenge = (body: object = {}) => post(attest, 'challenges', { serial, ...body });
  const evidence = (nonce: string, tpmFields: object, who = serial) => {
    const q = device.quote(Buffer.from(nonce, 'base64'));
    return post(attest, 'evidence', { serial: who, nonce, type: 'tpm2-quote', tpm: { attest: b64(q.attest), signature: b64(q.signature), akPublic: b64(keys.akPub), pcrs: q.pcrs, ...tpmFields } });
  };
  /** The happy path: challenge with credential activation, quote, result. */
  function attestByActivation(): AttestationResultView {
    const c = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.ek, ekCertificateChain: certs.ekChain } });
    expect(c.status).toBe(201);
    const released = device.activateCredential(Buffer.from(c.json.credential as string, 'base64'));
    const r = evidence(c.json.nonce as string, { activatedCredential: b64(released) });
    expect(r).toMatchObject({ status: 201 });
    return r.json as unknown as AttestationResultView;
  }
  let dbUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  /** Stored passing results, read straight from the attestation service's database. */
  const results = async (): Promise<number> => {
    const sql = "select count(*) as n from attestation_results where verdict = 'pass'";
    if (dbUrl) {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return Number((await c.query(sql)).rows[0].n);
      } finally {
        await c.end();
      }
    }
    const file = new Database(path.join(suite.dataDir, 'attestation.sqlite'), { readonly: true });
    try {
      return (file.prepare(sql).get() as { n: number }).n;
    } finally {
      file.close();
    }
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-attest-'));
    tpm = await SoftwareTpm.start({ manufacture: true });
    device = new TpmDevice(tpm);
    keys = device.createKeys('ecc');
    device.measure('firmware 1.0.0');
    // Golden values: what this device class measures at firmware 1.0.0, read once from the TPM.
    const pcrs = device.quote(Buffer.alloc(32)).pcrs;
    const golden = path.join(work, 'golden-pcrs.json');
    fs.writeFileSync(golden, JSON.stringify([{ deviceClass: 'tpm-sensor', firmwareVersion: '1.0.0', bank: 'sha256', pcrs: pcrs.sha256 }]));
    const cas = path.join(work, 'tpm-vendor-cas');
    fs.mkdirSync(cas);
    const acme = vendor('acme-ak-ca', cas);
    const rogue = vendor('rogue-tpm', work);
    // The EK certificate swtpm_setup stored in the TPM, from swtpm's local CA: a TPM vendor.
    certs.ek = b64(device.ekCertificate());
    // Only the vendor's root is configured; the device sends the intermediate that issued its EK
    // certificate (as real TPMs' EK certificates chain through a vendor issuing CA).
    fs.copyFileSync(tpm.file('vendor-ca/swtpm-localca-rootca-cert.pem'), path.join(cas, 'swtpm-localca-rootca-cert.pem'));
    certs.ekChain = [fs.readFileSync(tpm.file('vendor-ca/issuercert.pem'), 'utf8')];
    certs.ak = acme(keys.akPub, 'ak');
    vendorCertificate = acme;
    certs.rogueAk = rogue(keys.akPub, 'rogue-ak');
    certs.rogueEk = rogue(keys.ekPub, 'rogue-ek');
    const roots = manufacturer();
    const extra: NodeJS.ProcessEnv = { EST_ATTESTATION_REQUIRED_CLASSES: 'tpm-sensor', ATTESTATION_TPM_VENDOR_CAS_DIR: cas, ATTESTATION_GOLDEN_PCRS_FILE: golden, EST_MANUFACTURER_ROOTS_DIR: roots, EST_RATE_PER_DEVICE_PER_MINUTE: '0' };
    if (db === 'postgres') {
      const created = await createTestDatabase();
      extra.DATABASE_URL = dbUrl = created.url;
      dropDb = created.drop;
    }
    suite = await startSuite(extra);
    nc = await connect({ servers: suite.natsUrl });
    rpc = new RpcClient(nc);
    const imported = await rpc.request<ImportDevicesRequest, ImportDevicesReply>(OnboardingSubjects.importDevices, {
      rows: [
        { line: 1, serial, deviceClass: 'tpm-sensor', firmwareVersion: '1.0.0', ...sim(1) },
        { line: 2, serial: other, deviceClass: 'tpm-sensor', firmwareVersion: '1.0.0', ...sim(2) },
      ],
      actor: 'e2e',
    });
    expect(imported.rejected).toEqual([]);
    ({ est, attest } = deviceClients(suite, work));
  });

  afterAll(async () => {
    await nc?.drain();
    await suite?.stop();
    tpm?.stop();
    if (dropDb) await dropDb();
  });

  /** The key of the last enrollment that was issued: the key bound to the device's SIM. */
  let enrolledKey: string | undefined;
  async function enroll(resultId: string | null) {
    const secret = await rpc.request<CreateSecretRequest, CreateSecretReply>(Subjects.onboarding.createSecret, { serial, actor: 'e2e' });
    const csr = makeCsr(work, `csr-${Math.random().toString(36).slice(2)}`);
    const r = est.call('simpleenroll', { body: csr.b64, user: serial, password: secret.secret, extra: resultId ? ['-H', `Attestation-Result: ${resultId}`] : [] });
    if (r.status === 200) enrolledKey = csr.key;
    return r;
  }
  it('ok/challenge with credential activation, quote, signed result, enrollment allowed once', async () => {
    const factsBefore = await factPosition(nc, FactStreams.attestation);
    const result = attestByActivation();
    expect(result).toMatchObject({ evidenceType: 'tpm2-quote', verdict: 'pass', usedAt: null });
    expect(result.claims).toMatchObject({ 'tpm.akTrust': 'credential activation', 'tpm.pcrBank': 'sha256', 'device.firmwareVersion': '1.0.0' });
    expect(result.token.split('.')).toHaveLength(3);
    const stored = await rpc.request<{ id: string }, AttestationResultView>(Subjects.attestation.getResult, { id: result.id });
    expect(stored).toMatchObject({ id: result.id, verdict: 'pass', token: result.token });
    // The policy engine's facts stream carries the outcome.
    const fact = await factAfter<AttestationResultEvent>(nc, FactStreams.attestation, factsBefore);
    expect(fact).toMatchObject({ kind: 'attestation', type: 'tpm', verdict: 'pass', resultId: result.id, source: 'attestation' });

    // The CA reads the result by id too: before an enrollment spent it, it backs no certificate.
    const csr = makeCsr(work, 'ca-direct').b64;
    const direct = (deviceId: string) => rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr: fs.readFileSync(csr, 'utf8').replace(/\s/g, ''), profile: 'device', subject: { commonName: serial, deviceId }, ttlSeconds: 3600, deviceId, attestationResultId: result.id });
    await expect(direct(result.deviceId)).rejects.toMatchObject({ code: 'ATTESTATION_REQUIRED', message: expect.stringContaining('was not spent') });
    await expect(direct('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'ATTESTATION_REQUIRED', message: expect.stringContaining('another device') });

    const first = await enroll(result.id);
    expect({ status: first.status, body: first.status === 200 ? '' : first.body }).toEqual({ status: 200, body: '' });
    const held = await rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, { deviceId: result.deviceId });
    expect(held.certificates[0]).toMatchObject({ attestationResultId: result.id });
    // Operators see it in the certificate search too (`idctl cert list --json`).
    const searched = await rpc.request<CertificateSearchRequest, CertificateSearchReply>(OperatorSubjects.ca.searchCertificates, { deviceId: result.deviceId });
    expect(searched.certificates).toEqual([expect.objectContaining({ attestationResultId: result.id })]);
    // The policy engine read the result by id and decided on it.
    const decisions = await rpc.request<DeviceDecisionsRequest, DeviceDecisionsReply>(PolicySubjects.deviceDecisions, { deviceId: result.deviceId, limit: 5 });
    const enrollDecision = decisions.decisions.find((d) => d.facts?.['attestation.resultId'] === result.id);
    expect(enrollDecision).toMatchObject({ outcome: 'allow', facts: expect.objectContaining({ 'attestation.type': 'tpm', 'attestation.verdict': 'pass' }) });
    // A decision request naming a result of another device is refused.
    await expect(rpc.request(Subjects.policy.decide, { deviceId: '00000000-0000-4000-8000-000000000000', deviceStatus: 'active', simStatus: null, action: 'enroll', attestationResultId: result.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // Single use: the same result does not enroll twice.
    const again = await enroll(result.id);
    expect(again.status).toBe(403);
    expect(again.body).toContain('ATTESTATION_REQUIRED');
    expect(again.body).toContain('already used');
  });

  it('ok/an AK certificate from a configured TPM vendor CA', () => {
    const c = challenge();
    const r = evidence(c.json.nonce as string, { akCertificate: certs.ak });
    expect(r.status).toBe(201);
    expect((r.json.claims as Record<string, string>)['tpm.akTrust']).toContain('acme-ak-ca');
  });

  it('ok/credential activation against an ECC P-256 EK (a second TPM, its EK certificate from a TPM vendor CA)', async () => {
    const eccTpm = await SoftwareTpm.start();
    try {
      const eccDevice = new TpmDevice(eccTpm);
      const ecc = eccDevice.createKeys('ecc', 'ecc');
      eccDevice.measure('firmware 1.0.0');
      const c = challenge({ tpm: { ekPublic: b64(ecc.ekPub), akPublic: b64(ecc.akPub), ekCertificate: vendorCertificate(ecc.ekPub, 'ek-ecc') } });
      expect(c.status).toBe(201);
      const released = eccDevice.activateCredential(Buffer.from(c.json.credential as string, 'base64'));
      const nonce = c.json.nonce as string;
      const q = eccDevice.quote(Buffer.from(nonce, 'base64'));
      const r = post(attest, 'evidence', { serial, nonce, type: 'tpm2-quote', tpm: { attest: b64(q.attest), signature: b64(q.signature), akPublic: b64(ecc.akPub), pcrs: q.pcrs, activatedCredential: b64(released) } });
      expect(r).toMatchObject({ status: 201, json: { verdict: 'pass', claims: { 'tpm.akTrust': 'credential activation' } } });
    } finally {
      eccTpm.stop();
    }
  });

  it('fail/enrollment without an attestation result for a class that requires one → 403 ATTESTATION_REQUIRED', async () => {
    const r = await enroll(null);
    expect(r.status).toBe(403);
    expect(r.body).toContain('ATTESTATION_REQUIRED');
  });

  it('fail/enrollment with a result of another device → 403', async () => {
    // The other device attests with the same TPM; its result does not enroll this device.
    const c = post(attest, 'challenges', { serial: other });
    const r = evidence(c.json.nonce as string, { akCertificate: certs.ak }, other);
    expect(r.status).toBe(201);
    const e = await enroll(r.json.id as string);
    expect(e.status).toBe(403);
    expect(e.body).toContain('another device');
  });

  it('ok/idevid: the nonce signed with the IDevID key; the result enrolls the device', async () => {
    const c = challenge();
    const r = idevidEvidence(c.json.nonce, idevids.good);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ evidenceType: 'idevid', verdict: 'pass', claims: { 'idevid.serial': serial, 'idevid.root': 'O=acme-idevid-root, CN=acme-idevid-root' } });
    expect((await enroll(r.json.id)).status).toBe(200);
  });

  it('ok/sim: the device reports the SIM bound to it, with the nonce signed by the key bound to the SIM (its certificate key)', () => {
    const nonce = challenge().json.nonce as string;
    const r = post(attest, 'evidence', { serial, nonce, type: 'sim', sim: { ...sim(1), ...simKeyProof(work, nonce, enrolledKey!) } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ evidenceType: 'sim', verdict: 'pass', claims: { 'sim.iccid': sim(1).iccid } });
  });

  describe('bad input: refused with a reason code, no passing result stored', () => {
    it('fail/sim in another IMEI: possible clone or SIM swap, and the policy engine gets the sighting', async () => {
      const seenBefore = await factPosition(nc, FactStreams.simSeen);
      const r = post(attest, 'evidence', { serial, nonce: challenge().json.nonce, type: 'sim', sim: { ...sim(1), imei: sim(2).imei } });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIM_MISMATCH: possible clone or SIM swap/);
      const seen = await factAfter<SimSeenEvent>(nc, FactStreams.simSeen, seenBefore);
      expect(seen).toMatchObject({ kind: 'sim-seen', iccid: sim(1).iccid, imei: sim(2).imei, source: 'attestation' });
    });

    it('fail/sim of another device: possible SIM swap', () => {
      const r = post(attest, 'evidence', { serial, nonce: challenge().json.nonce, type: 'sim', sim: sim(2) });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIM_MISMATCH: possible SIM swap: .* is bound to another device/);
    });

    it('fail/idevid chain to an unknown root', () => {
      const r = idevidEvidence(challenge().json.nonce, idevids.unknownRoot);
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^CHAIN_INVALID: the IDevID does not chain to a manufacturer root/);
    });

    it('fail/idevid revoked on the manufacturer CRL', () => {
      const r = idevidEvidence(challenge().json.nonce, idevids.revoked);
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^CHAIN_INVALID: .*revoked/);
    });

    it('fail/idevid of another device', () => {
      const r = idevidEvidence(challenge().json.nonce, idevids.otherSerial);
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^IDENTITY_MISMATCH/);
    });

    it('fail/idevid: nonce signed by another key', () => {
      const r = idevidEvidence(challenge().json.nonce, idevids.good, idevids.otherSerial.key);
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIGNATURE_INVALID/);
    });

    let before: number;
    beforeEach(async () => {
      before = await results();
    });
    afterEach(async () => {
      expect(await results()).toBe(before);
    });

    it('fail/wrong nonce: a quote over another nonce', () => {
      const c = challenge();
      const q = device.quote(Buffer.alloc(32, 9));
      const r = post(attest, 'evidence', { serial, nonce: c.json.nonce, type: 'tpm2-quote', tpm: { attest: b64(q.attest), signature: b64(q.signature), akPublic: b64(keys.akPub), pcrs: q.pcrs, akCertificate: certs.ak } });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^NONCE_MISMATCH/);
    });

    it('fail/replayed nonce', async () => {
      const c = challenge();
      expect(evidence(c.json.nonce as string, { akCertificate: certs.ak }).status).toBe(201);
      before = await results();
      const replay = evidence(c.json.nonce as string, { akCertificate: certs.ak });
      expect(replay.status).toBe(403);
      expect(replay.json.error.message).toMatch(/^CHALLENGE_INVALID: .*replay/);
    });

    it('fail/expired nonce', async () => {
      const c = challenge({ ttlSeconds: 1 });
      await new Promise((r) => setTimeout(r, 1500));
      const r = evidence(c.json.nonce as string, { akCertificate: certs.ak });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^CHALLENGE_INVALID: .*expired/);
    });

    it('fail/foreign nonce: issued to another device', () => {
      const c = post(attest, 'challenges', { serial: other });
      const r = evidence(c.json.nonce as string, { akCertificate: certs.ak });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^CHALLENGE_INVALID: .*another device/);
    });

    it('fail/signature by another key (a second AK in the same TPM)', () => {
      const c = challenge();
      tpm.tpm('tpm2_createak', ['-C', 'ek.ctx', '-c', 'ak2.ctx', '-G', 'ecc', '-g', 'sha256', '-s', 'ecdsa', '-u', 'ak2.pub']);
      tpm.tpm('tpm2_quote', ['-c', 'ak2.ctx', '-l', 'sha256:0,1,16', '-q', Buffer.from(c.json.nonce as string, 'base64').toString('hex'), '-g', 'sha256', '-m', 'q2.msg', '-s', 'q2.sig']);
      const pcrs = device.quote(Buffer.alloc(32)).pcrs;
      const r = post(attest, 'evidence', { serial, nonce: c.json.nonce, type: 'tpm2-quote', tpm: { attest: b64(tpm.read('q2.msg')), signature: b64(tpm.read('q2.sig')), akPublic: b64(keys.akPub), pcrs, akCertificate: certs.ak } });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIGNATURE_INVALID/);
    });

    it('fail/AK certificate from an unknown vendor', () => {
      const c = challenge();
      const r = evidence(c.json.nonce as string, { akCertificate: certs.rogueAk });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^AK_UNTRUSTED: .*not from a known TPM vendor/);
    });

    it('fail/EK certificate from an unknown vendor: no credential is made', () => {
      const c = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.rogueEk } });
      expect(c.status).toBe(403);
      expect(c.json.error.message).toMatch(/^AK_UNTRUSTED: the EK certificate is not from a known TPM vendor/);
      expect(c.json.credential).toBeUndefined();
    });

    it('fail/EK certificate without the intermediate between it and the configured vendor root', () => {
      const c = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.ek } });
      expect(c.status).toBe(403);
      expect(c.json.error.message).toMatch(/^AK_UNTRUSTED: the EK certificate is not from a known TPM vendor/);
      expect(c.json.credential).toBeUndefined();
    });

    it.each([
      ['not a list', 'intermediate'],
      ['too many', Array(5).fill('an intermediate')],
      ['not certificates', ['not a certificate']],
    ])('fail/EK certificate chain %s → 400', (_n, chain) => {
      const c = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.ek, ekCertificateChain: chain } });
      expect([c.status, c.json.error.message]).toEqual([400, expect.stringMatching(/^BAD_EVIDENCE: ekCertificateChain/)]);
    });

    it('fail/EK certificate of another key', () => {
      const c = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.rogueAk } });
      expect(c.status).toBe(403);
      expect(c.json.error.message).toMatch(/^AK_UNTRUSTED: the EK certificate is for another key/);
    });

    it('fail/credential released for another challenge', () => {
      const first = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.ek, ekCertificateChain: certs.ekChain } });
      const released = device.activateCredential(Buffer.from(first.json.credential as string, 'base64'));
      const second = challenge({ tpm: { ekPublic: b64(keys.ekPub), akPublic: b64(keys.akPub), ekCertificate: certs.ek, ekCertificateChain: certs.ekChain } });
      const r = evidence(second.json.nonce as string, { activatedCredential: b64(released) });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^CREDENTIAL_MISMATCH/);
    });

    it('fail/PCR mismatch names the PCR (firmware measured differently), and the policy engine hears of it', async () => {
      device.measure('firmware 1.0.1-tampered');
      const factsBefore = await factPosition(nc, FactStreams.attestation);
      const c = challenge();
      const r = evidence(c.json.nonce as string, { akCertificate: certs.ak });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^PCR_MISMATCH: PCR sha256:16 differs/);
      const fact = await factAfter<AttestationResultEvent>(nc, FactStreams.attestation, factsBefore);
      expect(fact).toMatchObject({ kind: 'attestation', type: 'tpm', verdict: 'fail', reason: 'PCR_MISMATCH' });
    });

    it.each([
      ['fail/truncated TPMS_ATTEST', (a: Buffer) => a.subarray(0, 30), /^TPM_STRUCTURE_TRUNCATED/],
      ['fail/oversized TPMS_ATTEST', (a: Buffer) => Buffer.concat([a, Buffer.alloc(4)]), /^TPM_STRUCTURE_OVERSIZED/],
      ['fail/wrong magic', (a: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0]), a.subarray(4)]), /^TPM_BAD_MAGIC/],
    ])('%s', (_name, mutate, reason) => {
      const c = challenge();
      const q = device.quote(Buffer.from(c.json.nonce as string, 'base64'));
      const r = post(attest, 'evidence', { serial, nonce: c.json.nonce, type: 'tpm2-quote', tpm: { attest: b64(mutate(q.attest)), signature: b64(q.signature), akPublic: b64(keys.akPub), pcrs: q.pcrs, akCertificate: certs.ak } });
      expect([400, 403]).toContain(r.status);
      expect(r.json.error.message).toMatch(reason);
    });

    it('fail/truncated TPMT_SIGNATURE → 400', () => {
      const c = challenge();
      const q = device.quote(Buffer.from(c.json.nonce as string, 'base64'));
      const r = post(attest, 'evidence', { serial, nonce: c.json.nonce, type: 'tpm2-quote', tpm: { attest: b64(q.attest), signature: b64(q.signature.subarray(0, 8)), akPublic: b64(keys.akPub), pcrs: q.pcrs, akCertificate: certs.ak } });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/^TPM_STRUCTURE_TRUNCATED/);
    });

    it('fail/sim reported lost', async () => {
      await rpc.request<MarkSimLostRequest, MarkSimLostReply>(Subjects.onboarding.markSimLost, { iccid: sim(2).iccid, reason: 'stolen', actor: 'e2e' });
      const r = post(attest, 'evidence', { serial: other, nonce: post(attest, 'challenges', { serial: other }).json.nonce, type: 'sim', sim: sim(2) });
      expect(r.status).toBe(403);
      expect(r.json.error.message).toMatch(/^SIM_LOST/);
    });

    it('fail/unsupported evidence type → 400', () => {
      const c = challenge();
      const r = post(attest, 'evidence', { serial, nonce: c.json.nonce, type: 'magic' });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/^BAD_EVIDENCE: evidence type "magic" is not supported/);
    });
  });
});
