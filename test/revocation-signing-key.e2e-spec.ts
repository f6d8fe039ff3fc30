import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { IssueCertificateRequest, IssuedCertificate, RevocationCommandSubjects, RevokeReply, RevokeRequest, Streams, Subjects } from '../libs/contracts/src';
import { RpcClient } from '../libs/messaging/src/rpc-client';
import { runAgent, RunningAgent } from '@iis/revocation-client';
import { opensslCsrBase64 } from './support/node-process';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * REVOCATION_SIGNING_KEY, end to end (the default, RSA-2048 with PS256, is in
 * revocation-resync.e2e-spec.ts). Real: the suite under its launcher with p-256 (CA, revocation
 * service, SQLite, its nats-server), the CA issuing the P-256 signer certificate, the gateway agent
 * (runAgent, in this process) applying ES256 events, openssl reading the signer certificate; and
 * the revocation service's own process started with a bad value.
 */
jest.setTimeout(180_000);

describe('REVOCATION_SIGNING_KEY', () => {
  it('fail/a bad value stops the revocation service at start, naming the variable and the values allowed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-signing-key-'));
    // No NATS is reachable at this address: the settings are read, and refused, before anything connects.
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/services/revocation/src/main.js')], {
      env: { ...process.env, REVOCATION_SIGNING_KEY: 'rsa-1024', DATA_DIR: dataDir, NATS_URL: 'nats://127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(78); // EX_CONFIG
    expect(err).toContain('revocation: configuration error: REVOCATION_SIGNING_KEY: expected one of rsa-2048, rsa-3072, p-256, got "rsa-1024"');
  });

  describe('p-256', () => {
    let suite: RunningSuite;
    let nc: NatsConnection;
    let agent: RunningAgent | undefined;
    let work: string;

    beforeAll(async () => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-signing-key-'));
      suite = await startSuite({ REVOCATION_SIGNING_KEY: 'p-256' });
      nc = await connect({ servers: suite.natsUrl });
    });

    afterAll(async () => {
      await agent?.stop();
      await nc?.drain();
      if (suite) await suite.stop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('ok/events are signed ES256 by a P-256 signer certificate of the CA; the agent applies them', async () => {
      const logs: string[] = [];
      agent = await runAgent({ natsUrl: suite.natsUrl, dir: path.join(work, 'agent'), name: 'signing-key-e2e', log: (l) => logs.push(l) });
      await agent.ready;
      const rpc = new RpcClient(nc, 15_000);
      const req: IssueCertificateRequest = { csr: opensslCsrBase64(), profile: 'device', subject: { commonName: 'signing-key-e2e' }, ttlSeconds: 3600 };
      const serial = (await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, req)).serial.toLowerCase();
      await rpc.request<RevokeRequest, RevokeReply>(RevocationCommandSubjects.revoke, { target: { serial }, reason: 'keyCompromise', actor: 'e2e' });
      await waitFor(() => logs.join('\n'), new RegExp(`agent: applied revocation serial=${serial} `), 30_000, 'the agent to apply the revocation');
      expect(agent.stats).toMatchObject({ rejected: 0 });

      const jsm = await jetstreamManager(nc);
      const last = (await jsm.streams.info(Streams.revocations.name)).state.last_seq;
      const raw = (await jsm.streams.getMessage(Streams.revocations.name, { seq: last }))!.json<{ serial: string; signature: { alg: string; signer: string; value: string } }>();
      expect(raw).toMatchObject({ serial, signature: { alg: 'ES256' } });
      expect(Buffer.from(raw.signature.value, 'base64')).toHaveLength(64);
      const signerFile = path.join(work, 'signer.der');
      fs.writeFileSync(signerFile, Buffer.from(raw.signature.signer, 'base64'));
      expect(run('openssl', ['x509', '-inform', 'DER', '-in', signerFile, '-noout', '-text']).stdout).toMatch(/Public Key Algorithm: id-ecPublicKey[\s\S]*NIST CURVE: P-256/);
    });
  });
});
