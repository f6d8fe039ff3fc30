import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpensslDevice } from './support/device';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * CA key algorithms other than the default, through the whole suite: the hierarchy is made
 * with CA_KEY_ALGORITHM, the EST listener's TLS certificate and the device certificate come
 * from it, and openssl + curl accept the chain, the OCSP answer and the CRL. Real processes,
 * nats-server, SQLite, openssl and curl.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe.each([['Ed25519', 'ED25519'], ['RSA-3072', 'RSA']])('a %s hierarchy', (alg, opensslName) => {
  let suite: RunningSuite;
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-ca-alg-'));
    suite = await startSuite({ CA_KEY_ALGORITHM: alg });
  });
  afterAll(async () => {
    if (suite) expect(await suite.stop()).toBe(0);
  });

  it('enrolls over TLS, and openssl verifies certificate, OCSP answer and CRL', () => {
    const chain = path.join(work, 'chain.pem');
    expect(run('curl', ['-s', '-f', '-o', chain, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    const issuer = path.join(work, 'issuing.pem');
    fs.writeFileSync(issuer, fs.readFileSync(chain, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/)![0]);
    expect(run('openssl', ['x509', '-in', issuer, '-noout', '-text']).stdout).toContain(`Public Key Algorithm: ${opensslName === 'RSA' ? 'rsaEncryption' : 'ED25519'}`);
    const added = JSON.parse(run(process.execPath, [idctl, 'device', 'add', '--serial', 'SN-ALG', '--iccid', '89441000303122845280', '--imsi', '234150999999994', '--imei', '490154203237518', '--json'], { env: suite.idctlEnv }).stdout);
    const dev = new OpensslDevice(work, 'sn-alg');
    const res = dev.enroll(suite.estUrl, chain, 'SN-ALG', added.secret.secret);
    expect(res.status).toBe(200);
    const cert = dev.certificateFromResponse(res.bodyFile);
    expect(run('openssl', ['verify', '-x509_strict', '-CAfile', chain, cert]).stdout).toContain(': OK');
    const ocsp = run('openssl', ['ocsp', '-issuer', issuer, '-cert', cert, '-url', `${suite.caUrl}/ocsp`, '-CAfile', chain]);
    expect(ocsp.stdout).toContain(': good');
    expect(ocsp.stderr).toContain('Response verify OK');
    const crlUrl = /URI:(http\S+\.crl)/.exec(run('openssl', ['x509', '-in', cert, '-noout', '-text']).stdout)![1].replace(/^http:\/\/localhost:\d+/, suite.caUrl);
    const crl = path.join(work, 'i.crl');
    expect(run('curl', ['-s', '-f', '-o', crl, crlUrl]).code).toBe(0);
    expect(run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-CAfile', chain]).stderr).toContain('verify OK');
  });
});
