import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CurlEst, makeCsr } from './support/est-client';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * The EST per-source-address limit (RFC 7030 leaves rate limiting to the server): real suite,
 * curl as many devices behind one address. The limit is set low for the test.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const PER_ADDRESS = 5;

describe('EST rate limit per source address', () => {
  let suite: RunningSuite;
  let work: string;
  let est: CurlEst;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-est-rate-'));
    suite = await startSuite({ EST_RATE_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS) });
    const caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    est = new CurlEst(suite.estUrl, caFile, work);
  });

  afterAll(async () => {
    if (suite) await suite.stop();
  });

  it('many devices from one address: 429 with Retry-After past the limit, the genuine device too, and each refusal recorded', () => {
    const added = JSON.parse(run(process.execPath, [idctl, 'device', 'add', '--serial', 'RATE-ADDR-1', '--iccid', '89441000303122845298', '--imsi', '234150999999903', '--imei', '490154203237518', '--json'], { env: suite.idctlEnv }).stdout);
    const csr = makeCsr(work, 'rate-addr');
    // Different claimed devices each time, so the per-device limit never applies.
    const guesses = Array.from({ length: PER_ADDRESS }, (_, i) => est.call('simpleenroll', { user: `GUESS-${i}`, password: 'wrong', body: csr.b64 }));
    expect(guesses.map((r) => r.status)).toEqual(Array(PER_ADDRESS).fill(401));

    const limited = est.call('simpleenroll', { user: 'GUESS-next', password: 'wrong', body: csr.b64 });
    expect(limited.status).toBe(429);
    expect(Number(limited.header('retry-after'))).toBeGreaterThan(0);
    // The genuine device behind the same address waits as well: the address is what is limited…
    const genuine = est.call('simpleenroll', { user: 'RATE-ADDR-1', password: added.secret.secret, body: csr.b64 });
    expect(genuine.status).toBe(429);
    // …and the refusal is on its record, with the reason.
    const records = JSON.parse(run(process.execPath, [idctl, 'enrollment', 'list', '--serial', 'RATE-ADDR-1', '--json'], { env: suite.idctlEnv }).stdout).enrollments as { outcome: string; errorCode: string | null; reason: string | null }[];
    expect(records.map((r) => r.errorCode)).toEqual(['TOO_MANY_REQUESTS']);
    expect(records[0].reason).toContain('source address');
    // Reading the CA certificates is not an enrollment attempt and stays open.
    expect(est.call('cacerts').status).toBe(200);
  });
});
