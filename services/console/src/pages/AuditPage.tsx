import { FormEvent, useState } from 'react';
import { get, query } from '../api/client';
import type { AuditEntry } from '../api/types';
import { Problem } from '../components/Problem';
import { shortHex, when } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { may, Session } from '../session';

interface Filters {
  actor: string;
  action: string;
  device: string;
  since: string;
  until: string;
}
const EMPTY: Filters = { actor: '', action: '', device: '', since: '', until: '' };
const EXPORT_LIMIT = 100_000;

/** The audit trail with filters, the chain's verification, and an export of what the filters select (JSON Lines). */
export function AuditPage({ session }: { session: Session }) {
  const [form, setForm] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [exported, setExported] = useState<string>();
  const [problem, setProblem] = useState<unknown>();
  const allowed = may(session, 'audit:read');
  const params = (f: Filters) => ({ ...f, since: f.since ? new Date(f.since).toISOString() : undefined, until: f.until ? new Date(f.until).toISOString() : undefined });
  const page = useLoad(async () => (allowed ? get<{ entries: AuditEntry[]; nextCursor: number | null; headSeq: number | null }>(`/audit${query({ ...params(filters), limit: 200 })}`) : undefined), [filters, allowed]);
  const verify = useLoad(async () => (allowed ? get<{ ok: boolean; checked: number; head: { seq: number; hash: string } | null; firstBroken: { seq: number; message: string } | null }>('/audit/verify') : undefined), [allowed]);

  if (!allowed) return <p className="notice">The audit trail is for the security-admin role.</p>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(form);
  };
  const exportAll = async () => {
    setProblem(undefined);
    try {
      const lines: string[] = [];
      let after: number | null | undefined;
      do {
        const p = await get<{ entries: AuditEntry[]; nextCursor: number | null }>(`/audit${query({ ...params(filters), after: after ?? undefined, limit: 1000 })}`);
        for (const e of p.entries) lines.push(JSON.stringify(e));
        after = p.nextCursor;
      } while (after !== null && lines.length < EXPORT_LIMIT);
      const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(`${lines.length} entries exported`);
    } catch (e) {
      setProblem(e);
    }
  };
  const v = verify.data;
  return (
    <section>
      <header className="page-head">
        <h2>Audit trail</h2>
        {v && (
          <span className={v.ok ? 'chain ok' : 'chain broken'} data-testid="chain-status">
            {v.ok ? `chain verified: ${v.checked} entries, head #${v.head?.seq ?? 0} ${shortHex(v.head?.hash ?? '', 12)}` : `CHAIN BROKEN at #${v.firstBroken?.seq}: ${v.firstBroken?.message}`}
          </span>
        )}
      </header>
      <Problem error={verify.error ?? page.error ?? problem} />
      <form className="filters" onSubmit={submit}>
        {(['actor', 'action', 'device'] as const).map((k) => (
          <label key={k}>
            {k} <input name={k} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          </label>
        ))}
        <label>
          since <input name="since" type="datetime-local" value={form.since} onChange={(e) => setForm({ ...form, since: e.target.value })} />
        </label>
        <label>
          until <input name="until" type="datetime-local" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => void exportAll()}>
          Export JSON Lines
        </button>
        {exported && <span className="muted">{exported}</span>}
      </form>
      <table data-testid="audit-entries">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>at</th>
            <th>actor</th>
            <th>role</th>
            <th>action</th>
            <th>device</th>
            <th>reason</th>
            <th>outcome</th>
          </tr>
        </thead>
        <tbody>
          {(page.data?.entries ?? []).map((e) => (
            <tr key={e.seq}>
              <td className="num">{e.seq}</td>
              <td>{when(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.role}</td>
              <td className="mono">{e.action}</td>
              <td>{e.device ?? '—'}</td>
              <td>{e.reason ?? '—'}</td>
              <td>
                <span className={`status ${e.outcome}`}>
                  {e.outcome} {e.status}
                </span>
                {e.detail && <span className="muted"> {e.detail}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data?.nextCursor !== null && page.data && <p className="muted">The first 200 entries; narrow the filters or export.</p>}
    </section>
  );
}
