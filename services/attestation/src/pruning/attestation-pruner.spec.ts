import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { openStore } from '@iis/persistence';
import { ChallengeEntity } from '../challenges/challenge.entity';
import { ATTESTATION_MIGRATIONS } from '../migrations/attestation-migrations';
import { AttestationResultEntity } from '../results/attestation-result.entity';
import { AttestationPruner } from './attestation-pruner';

/** Real SQLite (better-sqlite3, WAL) with the service's own migrations; two data sources on one file stand for two instances. */
describe('AttestationPruner', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const retention = 3600;
  let dir: string;
  let a: DataSource;
  let b: DataSource;

  const open = (d: string) => openStore({ dataDir: d, databaseUrl: undefined } as never, { service: 'attestation', entities: [ChallengeEntity, AttestationResultEntity], migrations: ATTESTATION_MIGRATIONS });
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-prune-'));
    a = await open(dir);
    b = await open(dir);
    const challenge = (n: number, expiresIn: number, consumed: boolean): Partial<ChallengeEntity> => ({
      id: uuid(n),
      deviceId: uuid(900),
      nonceHash: String(n).padStart(64, '0'),
      expiresAt: at(expiresIn),
      consumedAt: consumed ? at(-100) : null,
    });
    await a.getRepository(ChallengeEntity).insert([challenge(1, -60, false), challenge(2, -1, true), challenge(3, 60, false), challenge(4, 300, true)]);
    const result = (n: number, expiredSecondsAgo: number, verdict: 'pass' | 'fail'): AttestationResultEntity => ({
      id: uuid(100 + n),
      deviceId: uuid(900),
      evidenceType: 'sim',
      verdict,
      claims: '{}',
      reasonCode: verdict === 'fail' ? 'SIM_MISMATCH' : null,
      reason: null,
      token: 'x.y.z',
      issuedAt: at(-expiredSecondsAgo - 600),
      expiresAt: at(-expiredSecondsAgo),
      usedAt: null,
      usedBy: null,
    });
    await a.getRepository(AttestationResultEntity).insert([
      result(1, retention + 1, 'pass'), // expired past retention: pruned
      result(2, retention * 2, 'fail'), // a refusal past retention: pruned
      result(3, retention - 1, 'pass'), // expired, still within retention: kept for the operator
      result(4, -300, 'pass'), // not expired: kept
    ]);
  });

  afterEach(async () => {
    await a.destroy();
    await b.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const remaining = async () => ({
    challenges: (await a.getRepository(ChallengeEntity).find({ order: { id: 'ASC' } })).map((c) => c.id),
    results: (await a.getRepository(AttestationResultEntity).find({ order: { id: 'ASC' } })).map((r) => r.id),
  });

  it('ok/deletes expired challenges (spent or not) and results expired longer than the retention, nothing else', async () => {
    expect(await new AttestationPruner(a, retention).prune(now)).toEqual({ challenges: 2, results: 2 });
    expect(await remaining()).toEqual({ challenges: [uuid(3), uuid(4)], results: [uuid(103), uuid(104)] });
  });

  it('ok/idempotent: a second pass deletes nothing', async () => {
    const pruner = new AttestationPruner(a, retention);
    await pruner.prune(now);
    expect(await pruner.prune(now)).toEqual({ challenges: 0, results: 0 });
    expect(await remaining()).toEqual({ challenges: [uuid(3), uuid(4)], results: [uuid(103), uuid(104)] });
  });

  it('ok/two instances at once delete each row once between them', async () => {
    const [x, y] = await Promise.all([new AttestationPruner(a, retention).prune(now), new AttestationPruner(b, retention).prune(now)]);
    expect({ challenges: x.challenges + y.challenges, results: x.results + y.results }).toEqual({ challenges: 2, results: 2 });
    expect(await remaining()).toEqual({ challenges: [uuid(3), uuid(4)], results: [uuid(103), uuid(104)] });
  });

  it('ok/retention 0: every expired result goes', async () => {
    expect(await new AttestationPruner(a, 0).prune(now)).toEqual({ challenges: 2, results: 3 });
    expect((await remaining()).results).toEqual([uuid(104)]);
  });
});
