import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FactEvent, FactStreams, PolicyStatsReply, PolicySubjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { Kvm } from '@nats-io/kv';
import { DEFAULT_POLICY } from '@iis/policy-engine';
import { runAgent } from '@iis/revocation-client';
import { PolicyBundles } from '@iis/contracts';
import { OpensslDevice } from './support/device';
import { createTestDatabase, databasesUnderTest } from './support/postgres';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

/**
 * Issue 7 end to end: policy documents through idctl (bad ones refused with the path, the
 * active policy untouched), then continuous evaluation: a device whose firmware falls below
 * the minimum, and one whose SIM turns up in another IMEI, are re-scored, quarantined and
 * revoked with nobody touching them, enrollment is refused, and `idctl device explain` says why.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

async function eventually<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(databasesUnderTest())('trust-scoring policy engine (%s)', (db) => {
  let suite: RunningSuite;
  let dropDb: (() => Promise<void>) | undefined;
  let work: string;
  let caFile: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    const extra: NodeJS.ProcessEnv = {};
    if (db === 'postgres') {
      const created = await createTestDatabase();
      extra.DATABASE_URL = created.url;
      dropDb = created.drop;
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-policy-'));
    suite = await startSuite(extra);
    caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    nc = await connectNats(suite.natsUrl, 'e2e-policy');
  });

  afterAll(async () => {
    await nc?.drain().catch(() => undefined);
    if (suite) expect(await suite.stop()).toBe(0);
    if (dropDb) await dropDb();
  });

  // Policy changes belong to the policy-admin role (the first token is a security-admin's).
  let policyAdminToken: string | undefined;
  const policyEnv = () => {
    policyAdminToken ??= JSON.parse(
      run(process.execPath, [idctl, 'token', 'create', '--name', 'policy-e2e', '--role', 'policy-admin', '--json'], { env: suite.idctlEnv }).stdout,
    ).token as string;
    return { ...suite.idctlEnv, IDCTL_TOKEN: policyAdminToken };
  };
  const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: args[0] === 'policy' ? policyEnv() : suite.idctlEnv, cwd: work });
  const publish = async (subject: string, event: unknown) => {
    await jetstream(nc).publish(subject, JSON.stringify(event));
  };

  function enrollNew(serial: string, iccid: string, imsi: string, imei: string) {
    const added = idctlRun('device', 'add', '--serial', serial, '--iccid', iccid, '--imsi', imsi, '--imei', imei, '--class', 'sensor', '--json');
    expect(added.stderr).toBe('');
    const { device, secret } = JSON.parse(added.stdout);
    const dev = new OpensslDevice(work, serial.toLowerCase());
    expect(dev.enroll(suite.estUrl, caFile, serial, secret.secret).status).toBe(200);
    return { device, dev };
  }

  const certsOf = (iccid: string) => JSON.parse(idctlRun('cert', 'list', '--iccid', iccid, '--json').stdout).certificates as { revokedAt: string | null }[];

  it('manages policy documents: bad ones refused with the path, versions, activation history, rollback', async () => {
    const list0 = JSON.parse(idctlRun('policy', 'list', '--json').stdout);
    expect(list0.active).toBe(1);
    expect(list0.activations[0]).toMatchObject({ kind: 'bootstrap', actor: 'system', version: 1 });

    const bad = (name: string, doc: unknown) => {
      fs.writeFileSync(path.join(work, name), JSON.stringify(doc));
      return idctlRun('policy', 'upload', name, '--activate');
    };
    const rule = { id: 'x', description: 'x', when: { fact: 'device.colour', op: 'eq', value: 'red' }, score: -5 };
    const cases: [string, unknown, string][] = [
      ['unknown-fact.json', { ...DEFAULT_POLICY, rules: [rule] }, "policy refused at /rules/0/when/fact: unknown fact 'device.colour'"],
      ['div-zero.json', { ...DEFAULT_POLICY, rules: [{ ...rule, when: { fact: 'device.known', op: 'eq', value: true }, score: undefined, scorePer: { fact: 'behaviour.authFailures', every: 0, points: -5 } }] }, '/rules/0/scorePer/every: division by zero'],
      ['schema.json', { ...DEFAULT_POLICY, thresholds: { allow: 'high' } }, 'policy refused at /thresholds'],
    ];
    for (const [file, doc, message] of cases) {
      const r = bad(file, doc);
      expect({ file, code: r.code }).toEqual({ file, code: 1 });
      expect(r.stderr).toContain('BAD_REQUEST');
      expect(r.stderr).toContain(message);
    }
    fs.writeFileSync(path.join(work, 'not-json.json'), '{ nope');
    expect(idctlRun('policy', 'upload', 'not-json.json').code).toBe(2);
    // The active policy stayed active and nothing was stored.
    expect(JSON.parse(idctlRun('policy', 'list', '--json').stdout)).toMatchObject({ active: 1, versions: [{ version: 1 }] });

    // A stricter policy: minimum firmware per class, uploaded and activated.
    const strict = { ...DEFAULT_POLICY, name: 'fleet-strict', firmware: { minimum: { default: '1.0.0', sensor: '2.0.0' }, vulnerable: ['2.2.0'] } };
    fs.writeFileSync(path.join(work, 'strict.json'), JSON.stringify(strict));
    const up = idctlRun('policy', 'upload', 'strict.json', '--activate', '--reason', 'sensor firmware 2.0 required');
    expect(up.stderr).toBe('');
    expect(up.stdout).toContain('stored policy fleet-strict as version 2');
    // Roll back, then activate again: each step is in the history with its actor.
    expect(idctlRun('policy', 'rollback', '--reason', 'try again').stdout).toContain('rollback version 1 (was 2)');
    expect(idctlRun('policy', 'activate', '2').stdout).toContain('activate version 2 (was 1)');
    const history = JSON.parse(idctlRun('policy', 'list', '--json').stdout);
    expect(history.active).toBe(2);
    expect(history.activations.map((a: { kind: string; version: number }) => `${a.kind}:${a.version}`)).toEqual(['activate:2', 'rollback:1', 'activate:2', 'bootstrap:1']);
    expect(history.activations[0].actor).not.toBe('system');
    expect(JSON.parse(idctlRun('policy', 'show', 'active').stdout).name).toBe('fleet-strict');
    expect(idctlRun('policy', 'activate', '99').stderr).toContain('NOT_FOUND');
  });

  it('quarantines and revokes a device whose firmware falls below the minimum, with nobody touching it', async () => {
    const { device, dev } = enrollNew('SN-FW-1', '89441000303122845231', '262011234567891', '356938035643809');
    expect(certsOf('89441000303122845231')[0].revokedAt).toBeNull();
    const base = { version: 1 as const, deviceId: device.id, observedAt: new Date().toISOString(), source: 'gateway:e2e' };

    // Malformed events are counted and dropped; the consumer keeps going.
    await publish(FactStreams.firmware, { ...base, eventId: 'bad-1', kind: 'firmware', firmwareVersion: 'not-a-version' });
    nc.publish(FactStreams.behaviour, 'not json at all');
    // Good firmware first: nothing happens.
    await publish(FactStreams.firmware, { ...base, eventId: 'fw-1', kind: 'firmware', firmwareVersion: '2.1.0' } satisfies FactEvent);
    // Then a downgrade below the sensor minimum.
    await publish(FactStreams.firmware, { ...base, eventId: 'fw-2', kind: 'firmware', firmwareVersion: '1.4.0' } satisfies FactEvent);

    await eventually('revocation of the downgraded device', () => (certsOf('89441000303122845231')[0].revokedAt ? true : undefined));
    const rpc = new RpcClient(nc);
    const stats = await rpc.request<Record<string, never>, PolicyStatsReply>(PolicySubjects.stats, {});
    expect(stats.malformed).toBeGreaterThanOrEqual(1);
    expect(stats.quarantined).toBeGreaterThanOrEqual(1);

    const explain = idctlRun('device', 'explain', 'SN-FW-1');
    expect(explain.stderr).toBe('');
    expect(explain.stdout).toContain('trust state quarantined');
    expect(explain.stdout).toContain('re-scored after a firmware event: QUARANTINED');
    expect(explain.stdout).toContain('firmware is below the minimum for its device class');
    expect(explain.stdout).toContain('policy fleet-strict@2');

    // Enrollment is blocked from now on, even with a fresh secret.
    const fresh = JSON.parse(idctlRun('secret', 'create', 'SN-FW-1', '--json').stdout);
    const refused = dev.enroll(suite.estUrl, caFile, 'SN-FW-1', fresh.secret);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('quarantined by continuous evaluation');
  });

  it('quarantines and revokes a device whose SIM turns up in another IMEI', async () => {
    const { device } = enrollNew('SN-SIM-1', '89441000303122845249', '262011234567892', '352099001761481');
    await publish(FactStreams.simSeen, {
      version: 1,
      eventId: 'sim-1',
      deviceId: device.id,
      observedAt: new Date().toISOString(),
      source: 'broker:e2e',
      kind: 'sim-seen',
      iccid: '89441000303122845249',
      imei: '490154203237518',
    } satisfies FactEvent);
    await eventually('revocation of the device whose SIM moved', () => (certsOf('89441000303122845249')[0].revokedAt ? true : undefined));
    const explain = JSON.parse(idctlRun('device', 'explain', 'SN-SIM-1', '--json').stdout);
    expect(explain.trustState).toBe('quarantined');
    expect(explain.decisions[0]).toMatchObject({ trigger: 'event:sim-seen', trustOutcome: 'quarantine' });
    expect(explain.decisions[0].explanation.map((f: { ruleId: string }) => f.ruleId)).toContain('sim-in-other-device');
    // The enrollment decision is there too, with its score and explanation.
    expect(explain.decisions.find((d: { trigger: string }) => d.trigger === 'enroll')).toMatchObject({ outcome: 'allow', trustOutcome: 'allow', score: 100 });
    expect(suite.output()).not.toMatch(/internal error|"level":"error"/);
  });

  it('publishes the active policy as a signed bundle; a gateway agent verifies it, decides locally, rejects forgeries', async () => {
    const lines: string[] = [];
    const agent = await runAgent({
      natsUrl: suite.natsUrl,
      dir: path.join(work, 'agent'),
      name: 'e2e-policy',
      log: (l) => lines.push(l),
      policyKeyFile: path.join(suite.dataDir, 'policy-bundle-key.pub.pem'),
    });
    try {
      await eventually('bundle at the agent', () => (agent.policy?.stats.policyVersion === 'fleet-strict@2' ? true : undefined));
      const facts = { 'device.known': true, 'device.status': 'active', 'device.class': 'sensor', 'sim.known': true, 'sim.status': 'active' } as const;
      expect(agent.policy!.decide({ ...facts, 'firmware.version': '2.1.0' })).toMatchObject({ outcome: 'allow', policyVersion: 'fleet-strict@2' });
      expect(agent.policy!.decide({ ...facts, 'firmware.version': '1.0.0' })).toMatchObject({ outcome: 'quarantine' });

      // A forged bundle without a key id, put straight into the bucket, is rejected; the good one stays.
      const kv = await new Kvm(jetstream(nc)).open(PolicyBundles.bucket);
      const good = JSON.parse((await kv.get(PolicyBundles.key))!.string());
      await kv.put(PolicyBundles.key, JSON.stringify({ ...good, keyId: undefined, policyVersion: 'evil@9' }));
      await eventually('rejection at the agent', () => (agent.policy!.stats.rejected >= 1 ? true : undefined));
      expect(lines.join('\n')).toContain('reason=missing-key-id');
      expect(agent.policy!.stats.policyVersion).toBe('fleet-strict@2');

      // Activating another version reaches the agent.
      expect(idctlRun('policy', 'activate', '1', '--reason', 'back to default').code).toBe(0);
      await eventually('new bundle at the agent', () => (agent.policy?.stats.policyVersion === 'default@1' ? true : undefined));
    } finally {
      await agent.stop();
    }
  });
});
