import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_POLICY, keyIdFor, signBundle } from '@iis/policy-engine';
import { PolicyBundleFollower, POLICY_BUNDLE_FILE } from './policy-bundle-follower';

const signer = generateKeyPairSync('ed25519');
const keyId = keyIdFor(signer.publicKey);
const trusted = new Map([[keyId, signer.publicKey]]);
const bundle = (version: string, doc: object = DEFAULT_POLICY) => JSON.stringify(signBundle(doc, version, new Date(), signer.privateKey, keyId));
const healthy = { 'device.known': true, 'device.status': 'active', 'sim.known': true, 'sim.status': 'active' } as const;

describe('PolicyBundleFollower (gateway agent, local policy)', () => {
  let dir: string;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bundle-'));
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ok/applies a good bundle, saves it, decides locally with a cache', async () => {
    const f = new PolicyBundleFollower(dir, trusted, log);
    expect(f.decide(healthy)).toBeNull();
    expect(await f.offer(bundle('default@1'))).toBe(true);
    expect(fs.existsSync(path.join(dir, POLICY_BUNDLE_FILE))).toBe(true);
    expect(f.decide(healthy)).toMatchObject({ outcome: 'allow', policyVersion: 'default@1', cached: false });
    expect(f.decide(healthy)).toMatchObject({ outcome: 'allow', cached: true });
    expect(f.decide({ ...healthy, 'sim.status': 'lost' })).toMatchObject({ outcome: 'deny' });
  });

  it.each([
    ['fail/no key id', (b: string) => JSON.stringify({ ...JSON.parse(b), keyId: undefined }), 'reason=missing-key-id'],
    ['fail/bad signature', (b: string) => JSON.stringify({ ...JSON.parse(b), signature: Buffer.alloc(64).toString('base64') }), 'reason=bad-signature'],
    ['fail/garbage', () => 'garbage', 'reason=malformed'],
  ])('%s: rejected, the last good bundle stays in force', async (_n, spoil, logged) => {
    const f = new PolicyBundleFollower(dir, trusted, log);
    await f.offer(bundle('default@1'));
    expect(await f.offer(spoil(bundle('evil@2', { ...DEFAULT_POLICY, name: 'evil', rules: [] })))).toBe(false);
    expect(f.stats).toMatchObject({ policyVersion: 'default@1', rejected: 1 });
    expect(lines.join('\n')).toContain(logged);
    expect(JSON.parse(fs.readFileSync(path.join(dir, POLICY_BUNDLE_FILE), 'utf8')).policyVersion).toBe('default@1');
  });

  it('ok/a restarted agent decides from the last good bundle on disk, without NATS', async () => {
    await new PolicyBundleFollower(dir, trusted, log).offer(bundle('default@3'));
    const restarted = new PolicyBundleFollower(dir, trusted, log);
    await restarted.loadLastGood();
    expect(restarted.decide(healthy)).toMatchObject({ outcome: 'allow', policyVersion: 'default@3' });
  });

  it('fail/a tampered file on disk is ignored', async () => {
    fs.writeFileSync(path.join(dir, POLICY_BUNDLE_FILE), JSON.stringify({ ...JSON.parse(bundle('default@1')), keyId: 'ed25519:nope' }));
    const f = new PolicyBundleFollower(dir, trusted, log);
    await f.loadLastGood();
    expect(f.decide(healthy)).toBeNull();
    expect(lines.join('\n')).toContain('ignoring');
  });
});
