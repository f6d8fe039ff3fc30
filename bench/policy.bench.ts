import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { DecisionReply, DecisionRequest, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { compilePolicy, DEFAULT_POLICY, evaluatePolicy, Facts, PolicyDocument, PolicyRule } from '@iis/policy-engine';
import { startEmbeddedNats } from '../tools/launcher/src/embedded-nats';
import { RunningService, startService, stopService } from '../tools/launcher/src/service-processes';
import { Benchmark, closedLoop, opsPerSecond } from './harness';

/** Published figures, printed for comparison: not measured here. */
const OPA = 'OPA docs: ~1 ms budget per decision (published, not measured)';
const CEDAR = 'Cedar paper: 4-11 us median (published, not measured)';

/** The shipped default (16 rules) plus 34 more of every kind: 50 rules. */
export function fiftyRulePolicy(): PolicyDocument {
  const extra: PolicyRule[] = [];
  for (let i = 0; extra.length < 50 - DEFAULT_POLICY.rules.length; i++) {
    const kinds: PolicyRule['when'][] = [
      { fact: 'network.servingCountry', op: 'notIn', value: { list: 'countries' } },
      { fact: 'network.sourceIp', op: 'notInCidr', value: { list: 'ranges' } },
      { fact: 'firmware.version', op: 'semverSatisfies', value: `>=${i % 5}.0.0 <${i % 5}.${(i % 3) + 1}.0` },
      { all: [{ fact: 'attestation.type', op: 'in', value: ['secret', 'none'] }, { fact: 'certificate.ageSeconds', op: 'gt', value: 3600 * (i + 1) }] },
      { any: [{ fact: 'sim.mccMnc', op: 'notIn', value: ['262-01', '262-02'] }, { not: { fact: 'behaviour.newDestinations', op: 'lt', value: 10 + i } }] },
      { fact: 'behaviour.authFailures', op: 'gte', value: i + 1 },
    ];
    extra.push({ id: `extra-${i}`, description: `generated rule ${i}`, when: kinds[i % kinds.length], score: -((i % 7) + 1) });
  }
  return {
    ...DEFAULT_POLICY,
    name: 'bench-50',
    firmware: { minimum: { default: '1.0.0', sensor: '2.0.0', meter: '3.1.0' }, vulnerable: ['2.2.0', '>=3.0.0 <3.0.2'] },
    lists: { countries: ['DE', 'FR', 'NL', 'AT', 'CH', 'BE', 'DK', 'SE'], ranges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '2001:db8::/32'] },
    rules: [...DEFAULT_POLICY.rules, ...extra],
  };
}

/** A varied fleet: healthy, roaming, downgraded, noisy devices. */
export function factPool(n = 1000): Facts[] {
  const out: Facts[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      'request.action': 'enroll',
      'device.known': i % 97 !== 0,
      'device.status': i % 50 === 0 ? 'retired' : 'active',
      'device.class': ['sensor', 'meter', 'gateway'][i % 3],
      'device.quarantined': false,
      'sim.known': true,
      'sim.status': i % 71 === 0 ? 'lost' : 'active',
      'sim.mccMnc': i % 5 === 0 ? '310-15' : '262-01',
      'network.servingCountry': ['DE', 'FR', 'US', 'NL'][i % 4],
      'network.sourceIp': i % 3 === 0 ? `10.0.${i % 256}.7` : `203.0.113.${i % 256}`,
      'attestation.type': ['tpm', 'secret', 'idevid'][i % 3],
      'attestation.verdict': i % 41 === 0 ? 'fail' : 'pass',
      'attestation.ageSeconds': (i * 3671) % 5_000_000,
      'firmware.version': `${i % 4}.${i % 6}.${i % 3}`,
      'behaviour.authFailures': i % 13,
      'behaviour.newDestinations': i % 17,
      'behaviour.concurrentAddresses': i % 29 === 0 ? 3 : 1,
      'certificate.ageSeconds': (i * 977) % 100_000,
    });
  }
  return out;
}

export async function policyBenchmarks(): Promise<Benchmark[]> {
  const policy = compilePolicy(fiftyRulePolicy());
  if (policy.rules.length !== 50) throw new Error(`bench policy has ${policy.rules.length} rules`);
  const pool = factPool();
  let k = 0;
  const evalOne = () => evaluatePolicy(policy, pool[k++ % pool.length]);

  let remote: { nc: NatsConnection; rpc: RpcClient; nats: ChildProcess; service: RunningService; dir: string } | undefined;
  const startRemote = async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-policy-'));
    const nats = await startEmbeddedNats(dir, 0, () => undefined);
    // Any free operations port: a suite started by another bench may hold the default one.
    const service = startService('policy', { ...process.env, NATS_URL: nats.url, DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '', POLICY_OPS_PORT: '0' }, () => undefined);
    process.once('exit', () => {
      service.child.kill('SIGKILL');
      nats.process.kill('SIGKILL');
    });
    await service.ready;
    const nc = await connectNats(nats.url, 'bench-policy');
    remote = { nc, rpc: new RpcClient(nc), nats: nats.process, service, dir };
    return remote;
  };
  const requests: DecisionRequest[] = Array.from({ length: 1000 }, (_, i) => ({
    deviceId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    deviceStatus: 'active',
    simStatus: 'active',
    action: 'enroll',
    facts: { 'firmware.version': `2.${i % 4}.0`, 'network.sourceIp': `10.1.${i % 250}.1`, 'behaviour.authFailures': i % 9 },
  }));
  let runs = 0;
  const overNats = async (): Promise<number> => {
    const r = remote ?? (await startRemote());
    const rate = await closedLoop(256, 2000, (i) => r.rpc.request<DecisionRequest, DecisionReply>(Subjects.policy.decide, requests[i % requests.length]));
    if (++runs === 6) {
      // last of warm-up + measured runs: stop what this benchmark started
      await r.nc.drain().catch(() => undefined);
      await stopService(r.service);
      r.nats.kill('SIGTERM');
      fs.rmSync(r.dir, { recursive: true, force: true });
    }
    return rate;
  };

  return [
    {
      name: 'policy-eval-in-process',
      unit: 'decisions/s',
      goal: '>= 50,000 decisions/s (50 rules, one core)',
      run: () => opsPerSecond(evalOne, 1000),
      reference: CEDAR,
    },
    {
      name: 'policy-eval-p99',
      unit: 'us',
      goal: 'p99 <= 50 us (50 rules)',
      run: async () => {
        const n = 100_000;
        const t = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const a = process.hrtime.bigint();
          evalOne();
          t[i] = Number(process.hrtime.bigint() - a) / 1000;
        }
        t.sort();
        return t[Math.floor(n * 0.99)];
      },
      reference: OPA,
    },
    {
      name: 'policy-decide-over-nats',
      unit: 'decisions/s',
      goal: '>= 10,000 decisions/s (request/reply, each decision stored, SQLite)',
      run: overNats,
      reference: `${OPA}; ${CEDAR}`,
    },
  ];
}
