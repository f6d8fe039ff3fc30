import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ErrorCode, IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { freePort } from '../tools/launcher/src/ports';
import { OpensslDevice } from './support/device';
import { opensslCsrBase64 } from './support/node-process';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * The CA's public artefacts, judged by real clients. Real: the launcher and its services,
 * nats-server, SQLite (and PostgreSQL where reachable), openssl + curl as device, OCSP client
 * and CRL consumer, idctl as the security team revoking through the real revocation path.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const ICCID = '89441000303122845231';

async function eventually<T>(what: string, fn: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databasesUnderTest())('the CA: OCSP, CRLs, profiles, key protection (%s)', (db) => {
  let suite: RunningSuite;
  let dropDb: (() => Promise<void>) | undefined;
  let work: string;
  let chainFile: string;
  let rootFile: string;
  let issuingFile: string;
  let issuerId: string;
  let dbUrl = '';
  const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
  const f = (name: string) => path.join(work, name);

  beforeAll(async () => {
    const extra: NodeJS.ProcessEnv = { CA_CRL_NEXT_UPDATE_SECONDS: '600' };
    if (db === 'postgres') {
      const created = await createTestDatabase();
      extra.DATABASE_URL = created.url;
      dbUrl = created.url;
      dropDb = created.drop;
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-ca-e2e-'));
    suite = await startSuite(extra);
    chainFile = f('chain.pem');
    expect(run('curl', ['-s', '-f', '-o', chainFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    rootFile = f('root.pem');
    expect(run('curl', ['-s', '-f', '-o', rootFile, `${suite.caUrl}/ca/root.pem`]).code).toBe(0);
    const pems = fs.readFileSync(chainFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!;
    issuingFile = f('issuing.pem');
    fs.writeFileSync(issuingFile, pems[0]);
  });

  afterAll(async () => {
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  it('answers OCSP (GET and POST) and serves CRLs that openssl accepts, before and after a revocation', async () => {
    const added = JSON.parse(idctlRun('device', 'add', '--serial', 'SN-CA-1', '--iccid', ICCID, '--imsi', '234150999999991', '--imei', '490154203237518', '--json').stdout);
    const dev = new OpensslDevice(work, 'sn-ca-1');
    const res = dev.enroll(suite.estUrl, chainFile, 'SN-CA-1', added.secret.secret);
    expect(res.status).toBe(200);
    const certFile = dev.certificateFromResponse(res.bodyFile);
    const text = run('openssl', ['x509', '-in', certFile, '-noout', '-text', '-serial']).stdout;
    const serial = /serial=([0-9A-F]+)/.exec(text)![1].toLowerCase();
    expect(text).toContain(`OCSP - URI:http://localhost:`);
    const ocspUrl = /OCSP - URI:(\S+)/.exec(text)![1];
    const crlUrl = /URI:(http\S+\.crl)/.exec(text)![1];
    issuerId = /\/crl\/(.+)\.crl$/.exec(crlUrl)![1];
    expect(ocspUrl).toMatch(/\/ocsp$/);
    const ourOcsp = `${suite.caUrl}/ocsp`;

    // The hierarchy itself passes strict checks.
    expect(run('openssl', ['verify', '-x509_strict', '-CAfile', rootFile, '-untrusted', issuingFile, '-purpose', 'sslclient', certFile]).stdout).toContain(': OK');

    // OCSP over POST: good, signed by a delegated responder that openssl accepts.
    const good = run('openssl', ['ocsp', '-issuer', issuingFile, '-cert', certFile, '-url', ourOcsp, '-CAfile', rootFile, '-resp_text']);
    expect(good.stderr).toContain('Response verify OK');
    expect(good.stdout).toContain(`${certFile}: good`);
    expect(good.stdout).toContain('OCSP Signing');
    expect(good.stdout).toContain('OCSP No Check');
    expect(good.stdout).toContain('OCSP Nonce'); // openssl sends one; it comes back

    // OCSP over GET (RFC 6960 A.1): the same request, base64 in the path.
    expect(run('openssl', ['ocsp', '-issuer', issuingFile, '-cert', certFile, '-no_nonce', '-reqout', f('req.der')]).code).toBe(0);
    const b64 = encodeURIComponent(fs.readFileSync(f('req.der')).toString('base64'));
    const get = run('curl', ['-s', '-o', f('get.der'), '-w', '%{http_code} %{content_type}', `${ourOcsp}/${b64}`]);
    expect(get.stdout).toBe('200 application/ocsp-response');
    const getText = run('openssl', ['ocsp', '-respin', f('get.der'), '-issuer', issuingFile, '-cert', certFile, '-CAfile', rootFile, '-resp_text']);
    expect(getText.stdout).toContain(': good');
    expect(getText.stderr).toContain('Response verify OK');

    // A serial the CA never issued: unknown.
    const unknown = run('openssl', ['ocsp', '-issuer', issuingFile, '-serial', '0x1234567890abcdef', '-url', ourOcsp, '-CAfile', rootFile]);
    expect(unknown.stdout).toContain('0x1234567890abcdef: unknown');

    // A certificate of another CA: "unauthorized", not a crash.
    run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('other.key'), '-subj', '/CN=Other CA', '-days', '1', '-out', f('other.pem')]);
    const other = run('openssl', ['ocsp', '-issuer', f('other.pem'), '-serial', '0x01', '-url', ourOcsp]);
    expect(other.stdout + other.stderr).toContain('unauthorized');

    // Malformed requests: an OCSP malformedRequest answer with 400, never a 500.
    fs.writeFileSync(f('junk.der'), 'this is not an OCSP request');
    const junk = run('curl', ['-s', '-o', f('junk-resp.der'), '-w', '%{http_code}', '-H', 'Content-Type: application/ocsp-request', '--data-binary', `@${f('junk.der')}`, ourOcsp]);
    expect(junk.stdout).toBe('400');
    expect(run('openssl', ['ocsp', '-respin', f('junk-resp.der'), '-resp_text', '-noverify']).stdout).toMatch(/malformedrequest/i);
    expect(run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${ourOcsp}/%%%not-base64`]).stdout).toBe('400');
    expect(run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Content-Type: text/plain', '--data-binary', 'x', ourOcsp]).stdout).toBe('415');

    // The CRL before: openssl reads it, the certificate verifies with crl_check.
    const crlBefore = fetchCrl(`${suite.caUrl}/crl/${issuerId}.crl`, f('before.crl'));
    expect(crlBefore.text).toMatch(/X509v3 Freshest CRL/);
    expect(run('openssl', ['verify', '-crl_check', '-CAfile', chainFile, '-CRLfile', crlBefore.pem, certFile]).stdout).toContain(': OK');

    // Revoke through the real path: the security team reports the SIM lost.
    const lost = idctlRun('sim', 'report-lost', ICCID, '--reason', 'stolen', '--json');
    expect(lost.code).toBe(0);

    // OCSP says revoked within moments (the cached "good" answer was replaced).
    const revoked = await eventually('OCSP revoked', () => {
      const r = run('openssl', ['ocsp', '-issuer', issuingFile, '-cert', certFile, '-url', ourOcsp, '-CAfile', rootFile, '-no_nonce']);
      return r.stdout.includes(': revoked') ? r : undefined;
    });
    expect(revoked.stdout).toContain('Revocation Time');
    const getAgain = run('curl', ['-s', '-o', f('get2.der'), `${ourOcsp}/${b64}`]);
    expect(getAgain.code).toBe(0);
    expect(run('openssl', ['ocsp', '-respin', f('get2.der'), '-issuer', issuingFile, '-cert', certFile, '-CAfile', rootFile]).stdout).toContain(': revoked');

    // The complete CRL lists it with a higher CRL number; openssl verify -crl_check refuses the certificate.
    const crlAfter = await eventually('CRL with the serial', () => {
      const c = fetchCrl(`${suite.caUrl}/crl/${issuerId}.crl`, f(`after-${Date.now()}.crl`));
      return c.text.includes(serial.toUpperCase()) ? c : undefined;
    });
    expect(crlAfter.number).toBeGreaterThan(crlBefore.number);
    const refused = run('openssl', ['verify', '-crl_check', '-CAfile', chainFile, '-CRLfile', crlAfter.pem, certFile]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('certificate revoked');

    // The delta CRL (RFC 5280 5.2.4) carries the new revocation over its base.
    const delta = fetchCrl(`${suite.caUrl}/crl/${issuerId}.delta.crl`, f('delta.crl'));
    expect(delta.text).toMatch(/Delta CRL Indicator: critical/);
    expect(delta.text).toContain(serial.toUpperCase());
    expect(delta.number).toBeGreaterThan(crlAfter.number - 2);

    // A CRL for an issuer that does not exist: 404.
    expect(run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${suite.caUrl}/crl/issuing-000000000000.crl`]).stdout).toBe('404');
    expect(suite.output()).not.toMatch(/internal error|"level":"error"[^\n]*"context":"http"/);
  });

  it('issues at most one certificate per idempotency key: a retry gets the stored one, a reuse for another key is refused', async () => {
    const nc = await connect({ servers: suite.natsUrl });
    try {
      const rpc = new RpcClient(nc, 10_000);
      const csr = opensslCsrBase64();
      const key = 'e1'.repeat(32);
      const request = (over: Partial<IssueCertificateRequest> = {}) =>
        rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, { csr, profile: 'device', subject: { commonName: 'idem-1', deviceId: 'idem-1' }, ttlSeconds: 3600, deviceId: 'idem-1', idempotencyKey: key, ...over });
      // Concurrent first tries (as after a lost answer retried through another onboarding instance) and a later retry.
      const first = await Promise.all([request(), request(), request()]);
      const again = await request();
      expect(new Set([...first, again].map((c) => c.serial)).size).toBe(1);
      expect(again.certificate).toBe(first[0].certificate);
      const listed = idctlRun('cert', 'list', '--device', 'idem-1', '--json');
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { certificates: { serial: string }[] }).certificates).toHaveLength(1);

      // The same key with another public key or device: 409, nothing issued.
      await expect(request({ csr: opensslCsrBase64() })).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await expect(request({ deviceId: 'idem-2', subject: { commonName: 'idem-2', deviceId: 'idem-2' } })).rejects.toMatchObject({ code: ErrorCode.Conflict });
      await expect(request({ idempotencyKey: 'not-hex' })).rejects.toMatchObject({ code: ErrorCode.BadRequest });
      // Without a key every request is its own certificate.
      const [a, b] = await Promise.all([request({ idempotencyKey: undefined }), request({ idempotencyKey: undefined })]);
      expect(a.serial).not.toBe(b.serial);

      // Once revoked, the key no longer stands for a live certificate: the retry gets a fresh one.
      expect(idctlRun('revoke', '--serial', first[0].serial, '--reason', 'keyCompromise').code).toBe(0);
      // The CA learns of the revocation from the revocation stream, a moment after the command.
      let renewed: IssuedCertificate | undefined;
      for (let i = 0; i < 50 && (!renewed || renewed.serial === first[0].serial); i++) {
        renewed = await request();
        if (renewed.serial === first[0].serial) await new Promise((r) => setTimeout(r, 100));
      }
      expect(renewed!.serial).not.toBe(first[0].serial);
      expect((await request()).serial).toBe(renewed!.serial);
    } finally {
      await nc.close();
    }
  });

  it('refuses to start with a wrong passphrase and says why', async () => {
    const port = await freePort();
    const ca = run(process.execPath, [path.join(repoRoot, 'dist/services/ca/src/main.js')], {
      env: { ...process.env, DATA_DIR: suite.dataDir, NATS_URL: suite.natsUrl, CA_HTTP_PORT: String(port), CA_KEY_PASSPHRASE: 'not the right passphrase at all', CA_KEY_PASSPHRASE_FILE: '', DATABASE_URL: dbUrl },
    });
    expect(ca.stderr).toContain('cannot decrypt the key of issuing CA');
    expect(ca.code).toBe(1);
    expect(ca.stderr).toContain('CA_KEY_PASSPHRASE');
    expect(ca.stderr).not.toContain('not the right passphrase');
  });
});

function fetchCrl(url: string, file: string): { pem: string; text: string; number: number } {
  const r = run('curl', ['-s', '-f', '-o', file, '-w', '%{content_type}', url]);
  expect(r.stdout).toBe('application/pkix-crl');
  const pem = `${file}.pem`;
  expect(run('openssl', ['crl', '-inform', 'DER', '-in', file, '-out', pem]).code).toBe(0);
  const text = run('openssl', ['crl', '-in', pem, '-noout', '-text']).stdout;
  const number = Number(/CRL Number:\s*\n\s*(\d+)/.exec(text)![1]);
  return { pem, text, number };
}
