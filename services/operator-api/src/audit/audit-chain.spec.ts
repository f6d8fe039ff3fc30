import { AuditFields, chain, ChainedAuditEntry, ChainVerifier, GENESIS_HASH } from './audit-chain';

const fields = (i: number): AuditFields => ({
  at: new Date(Date.UTC(2026, 10, 24, 12, 0, 0, i)),
  actorId: 'a1',
  actor: 'alice',
  role: 'security-admin',
  action: 'sim.report-lost',
  target: `sim:8944100030312284521${i % 10}`,
  device: `SN-${i}`,
  reason: 'stolen from van',
  outcome: 'ok',
  status: 200,
  detail: null,
});

function build(n: number): ChainedAuditEntry[] {
  const out: ChainedAuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(chain(out[i - 1] ?? null, fields(i)));
  return out;
}

function verify(entries: ChainedAuditEntry[]) {
  const v = new ChainVerifier();
  for (const e of entries) v.push(e);
  return v.result();
}

describe('audit hash chain', () => {
  it('ok/links each entry to the one before', () => {
    const e = build(3);
    expect(e[0].seq).toBe(1);
    expect(e[0].prevHash).toBe(GENESIS_HASH);
    expect(e[1].prevHash).toBe(e[0].hash);
    expect(e[2].prevHash).toBe(e[1].hash);
  });

  it('ok/an untouched chain verifies and reports its head', () => {
    const e = build(5);
    expect(verify(e)).toEqual({ ok: true, checked: 5, head: { seq: 5, hash: e[4].hash }, firstBroken: null });
  });

  it('ok/an empty chain verifies', () => {
    expect(verify([])).toMatchObject({ ok: true, checked: 0, head: null });
  });

  const tamper: [string, (e: ChainedAuditEntry[]) => ChainedAuditEntry[], number, string][] = [
    ['fail/edited reason', (e) => (e[2].reason = 'nothing happened', e), 3, 'hash'],
    ['fail/edited actor', (e) => (e[1].actor = 'mallory', e), 2, 'hash'],
    ['fail/edited outcome', (e) => (e[3].outcome = 'denied', e), 4, 'hash'],
    ['fail/edited time', (e) => (e[0].at = new Date(0), e), 1, 'hash'],
    ['fail/edited status', (e) => (e[4].status = 403, e), 5, 'hash'],
    ['fail/deleted entry', (e) => e.filter((x) => x.seq !== 3), 4, 'sequence'],
    ['fail/deleted first entry', (e) => e.slice(1), 2, 'sequence'],
    ['fail/entry edited and rehashed', (e) => {
      const forged = chain({ seq: 1, hash: e[0].hash }, { ...fields(1), actor: 'mallory' });
      e[1] = forged;
      return e;
    }, 3, 'link'],
    ['fail/swapped entries', (e) => [e[0], e[2], e[1], e[3], e[4]], 3, 'sequence'],
  ];
  it.each(tamper)('%s names the first broken entry', (_n, edit, seq, problem) => {
    const r = verify(edit(build(5)));
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq, problem });
  });

  it('ok/time is kept to the millisecond so a database round trip verifies', () => {
    const e = chain(null, { ...fields(0), at: new Date('2026-11-24T12:00:00.123Z') });
    const back = { ...e, at: new Date(e.at.toISOString()) };
    expect(verify([back]).ok).toBe(true);
  });
});
