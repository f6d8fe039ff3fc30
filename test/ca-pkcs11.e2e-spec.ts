import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { CaHierarchyReply, CaSubjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { OpensslDevice } from './support/device';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * The issuing key in a PKCS#11 token. Real: SoftHSM2 (its own token directory), the suite
 * started by the launcher with CA_PKCS11_*, openssl + curl as the device and OCSP client.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe('CA with its issuing key in SoftHSM2', () => {
  let suite: RunningSuite;
  let work: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-ca-p11-'));
    fs.mkdirSync(path.join(work, 'tokens'));
    const conf = path.join(work, 'softhsm2.conf');
    fs.writeFileSync(conf, `directories.tokendir = ${path.join(work, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'iis-ca', '--pin', '246810', '--so-pin', '13579111'], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'ignore' });
    fs.writeFileSync(path.join(work, 'pin'), '246810\n');
    suite = await startSuite({ SOFTHSM2_CONF: conf, CA_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', CA_PKCS11_TOKEN_LABEL: 'iis-ca', CA_PKCS11_PIN_FILE: path.join(work, 'pin') });
    nc = await connect({ servers: suite.natsUrl });
  });

  afterAll(async () => {
    await nc?.drain();
    if (suite) expect(await suite.stop()).toBe(0);
  });

  it('issues through the token; the key is not in the database; openssl verifies and OCSP answers', async () => {
    const h = await new RpcClient(nc).request<Record<string, never>, CaHierarchyReply>(CaSubjects.hierarchy, {});
    const issuing = h.issuers.find((i) => i.kind === 'issuing' && i.active)!;
    expect(issuing.keyProtection).toBe('pkcs11');
    expect(h.issuers.find((i) => i.kind === 'root')!.keyProtection).toBe('pbes2');

    const chain = path.join(work, 'chain.pem');
    run('curl', ['-s', '-f', '-o', chain, `${suite.caUrl}/ca/chain.pem`]);
    const added = JSON.parse(run(process.execPath, [idctl, 'device', 'add', '--serial', 'SN-P11', '--iccid', '89441000303122845272', '--imsi', '234150999999993', '--imei', '490154203237518', '--json'], { env: suite.idctlEnv }).stdout);
    const dev = new OpensslDevice(work, 'sn-p11');
    const res = dev.enroll(suite.estUrl, chain, 'SN-P11', added.secret.secret);
    expect(res.status).toBe(200);
    const cert = dev.certificateFromResponse(res.bodyFile);
    expect(run('openssl', ['verify', '-x509_strict', '-CAfile', chain, cert]).stdout).toContain(': OK');
    const issuerPem = path.join(work, 'issuing.pem');
    fs.writeFileSync(issuerPem, fs.readFileSync(chain, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/)![0]);
    const ocsp = run('openssl', ['ocsp', '-issuer', issuerPem, '-cert', cert, '-url', `${suite.caUrl}/ocsp`, '-CAfile', chain]);
    expect(ocsp.stdout).toContain(': good');
    expect(ocsp.stderr).toContain('Response verify OK');
    const crl = path.join(work, 'i.crl');
    expect(run('curl', ['-s', '-f', '-o', crl, `${suite.caUrl}/crl/${issuing.id}.crl`]).code).toBe(0);
    expect(run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-CAfile', chain]).stderr).toContain('verify OK');
  });
});
