import { FormEvent, useEffect, useState } from 'react';
import { get, post, query } from '../api/client';
import type { Certificate, SimSearchItem } from '../api/types';
import { Problem } from '../components/Problem';
import { EmptyRow } from '../components/Tables';
import { when } from '../lib/format';
import { may, Session } from '../session';

type Field = 'iccid' | 'imsi' | 'imei';
type Pending = { kind: 'report-lost' | 'restore'; sim: SimSearchItem; certificates: number };

/** SIM search by ICCID, IMSI or IMEI; report lost and restore, each after a confirmation that names what it will do. */
export function SimsPage({ session, initial }: { session: Session; initial: URLSearchParams }) {
  const start = (['iccid', 'imsi', 'imei'] as Field[]).find((f) => initial.get(f)) ?? 'iccid';
  const [field, setField] = useState<Field>(start);
  const [value, setValue] = useState(initial.get(start) ?? '');
  const [results, setResults] = useState<SimSearchItem[]>();
  const [problem, setProblem] = useState<unknown>();
  const [pending, setPending] = useState<Pending>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();

  const search = async (f = field, v = value) => {
    setProblem(undefined);
    try {
      setResults((await get<{ sims: SimSearchItem[] }>(`/sims/search${query({ [f]: v.trim() })}`)).sims);
    } catch (e) {
      setProblem(e);
    }
  };
  useEffect(() => {
    if (value) void search();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const ask = async (kind: Pending['kind'], sim: SimSearchItem) => {
    setDone(undefined);
    setReason('');
    try {
      // What report-lost revokes: every valid certificate issued through this SIM.
      const certs = await get<{ certificates: Certificate[]; nextCursor: string | null }>(`/certificates${query({ iccid: sim.iccid, status: 'valid', limit: 1000 })}`);
      setPending({ kind, sim, certificates: certs.certificates.length });
    } catch (e) {
      setProblem(e);
    }
  };

  const confirm = async () => {
    if (!pending) return;
    try {
      if (pending.kind === 'report-lost') {
        const r = await post<{ revoked: unknown[]; alreadyLost: boolean }>(`/sims/${encodeURIComponent(pending.sim.iccid)}/report-lost`, { reason });
        setDone(`SIM ${pending.sim.iccid} reported lost; ${r.revoked.length} certificate(s) revoked.`);
      } else {
        await post(`/sims/${encodeURIComponent(pending.sim.iccid)}/restore`, { reason });
        setDone(`SIM ${pending.sim.iccid} restored to active. Its revoked certificates stay revoked; the device enrolls again.`);
      }
      setPending(undefined);
      await search();
    } catch (e) {
      setProblem(e);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void search();
  };

  return (
    <section>
      <header className="page-head">
        <h2>SIM search</h2>
      </header>
      <form className="filters" onSubmit={onSubmit}>
        <select name="field" value={field} onChange={(e) => setField(e.target.value as Field)} aria-label="identifier">
          <option value="iccid">ICCID</option>
          <option value="imsi">IMSI</option>
          <option value="imei">IMEI</option>
        </select>
        <input name="value" value={value} onChange={(e) => setValue(e.target.value)} placeholder="digits" inputMode="numeric" />
        <button type="submit">Search</button>
      </form>
      <Problem error={problem} />
      {done && (
        <p className="notice" data-testid="sim-action-done">
          {done}
        </p>
      )}
      {results && (
        <table data-testid="sim-results">
          <thead>
            <tr>
              <th>ICCID</th>
              <th>IMSI</th>
              <th>IMEI</th>
              <th>status</th>
              <th>device</th>
              <th>lost at</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {results.length === 0 && <EmptyRow cols={7}>no SIM with that identifier</EmptyRow>}
            {results.map((s) => (
              <tr key={s.iccid}>
                <td className="mono">{s.iccid}</td>
                <td className="mono">{s.imsi}</td>
                <td className="mono">{s.imei}</td>
                <td>
                  <span className={`status ${s.status}`} data-testid="sim-status">
                    {s.status}
                  </span>
                </td>
                <td>{s.device ? <a href={`#/devices/${encodeURIComponent(s.device.serial)}`}>{s.device.serial}</a> : '—'}</td>
                <td>{when(s.lostAt)}</td>
                <td>
                  {s.status !== 'lost' && may(session, 'sims:report-lost') && (
                    <button className="danger" onClick={() => void ask('report-lost', s)}>
                      Report lost
                    </button>
                  )}
                  {s.status === 'lost' && may(session, 'sims:restore') && <button onClick={() => void ask('restore', s)}>Restore</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && (
        <div className="confirm" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm">
          <h3 id="confirm-title">{pending.kind === 'report-lost' ? 'Report this SIM lost?' : 'Restore this SIM?'}</h3>
          <p data-testid="confirm-text">
            {pending.kind === 'report-lost'
              ? `SIM ${pending.sim.iccid} of device ${pending.sim.device?.serial ?? '(no device)'}: ${pending.certificates} valid certificate(s) will be revoked at once, and every gateway will cut them.`
              : `SIM ${pending.sim.iccid} of device ${pending.sim.device?.serial ?? '(no device)'} goes back to active. The certificates revoked when it was reported lost stay revoked.`}
          </p>
          <label>
            Reason (kept in the audit trail){' '}
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={400} />
          </label>
          <div className="buttons">
            <button className={pending.kind === 'report-lost' ? 'danger' : ''} disabled={!reason.trim()} onClick={() => void confirm()}>
              {pending.kind === 'report-lost' ? `Report lost and revoke ${pending.certificates}` : 'Restore'}
            </button>
            <button onClick={() => setPending(undefined)}>Cancel</button>
          </div>
        </div>
      )}
    </section>
  );
}
