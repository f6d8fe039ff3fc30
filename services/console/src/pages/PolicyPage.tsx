import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { PolicyActivation, PolicyVersion } from '../api/types';
import { Problem } from '../components/Problem';
import { lineDiff } from '../lib/line-diff';
import { shortHex, when } from '../lib/format';
import { useLoad } from '../lib/use-load';

const pretty = (doc: unknown) => JSON.stringify(doc, null, 2);

/** Policy: the active version, every version and activation, and a line diff between two versions. */
export function PolicyPage() {
  const list = useLoad(() => get<{ active: number | null; versions: PolicyVersion[]; activations: PolicyActivation[] }>('/policies'), []);
  const versions = list.data?.versions ?? [];
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  useEffect(() => {
    if (!list.data || versions.length === 0) return;
    const sorted = versions.map((v) => v.version).sort((a, b) => a - b);
    setTo(list.data.active ?? sorted[sorted.length - 1]);
    setFrom(sorted.length > 1 ? sorted[sorted.length - 2] : sorted[0]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data]);
  const active = useLoad(() => get<{ policy: PolicyVersion; document: unknown }>('/policies/active'), []);
  const diff = useLoad(async () => {
    if (from === undefined || to === undefined) return undefined;
    const [a, b] = await Promise.all([get<{ document: unknown }>(`/policies/${from}`), get<{ document: unknown }>(`/policies/${to}`)]);
    return lineDiff(pretty(a.document), pretty(b.document));
  }, [from, to]);
  const changed = (diff.data ?? []).filter((l) => l.kind !== 'same').length;

  return (
    <section>
      <header className="page-head">
        <h2>Policy</h2>
        {list.data && <span data-testid="active-version">active version {list.data.active ?? 'none'}</span>}
      </header>
      <Problem error={list.error ?? active.error} />
      {active.data && (
        <div className="card wide">
          <h3>
            Active: v{active.data.policy.version} {active.data.policy.name}
          </h3>
          <p className="muted">
            {active.data.policy.ruleCount} rules · sha256 {shortHex(active.data.policy.sha256, 16)} · uploaded by {active.data.policy.uploadedBy} {when(active.data.policy.uploadedAt)}
          </p>
        </div>
      )}
      <div className="cards">
        <div className="card">
          <h3>Versions</h3>
          <table data-testid="policy-versions">
            <thead>
              <tr>
                <th className="num">v</th>
                <th>name</th>
                <th className="num">rules</th>
                <th>uploaded</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td className="num">{v.version}</td>
                  <td>{v.name}</td>
                  <td className="num">{v.ruleCount}</td>
                  <td>
                    {v.uploadedBy} · {when(v.uploadedAt)}
                  </td>
                  <td>{v.active && <span className="status active">active</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="card">
          <h3>Activation history</h3>
          <table>
            <thead>
              <tr>
                <th>when</th>
                <th>what</th>
                <th>who</th>
                <th>why</th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.activations ?? []).map((a) => (
                <tr key={a.id}>
                  <td>{when(a.activatedAt)}</td>
                  <td>
                    {a.kind} {a.previousVersion === null ? '' : `v${a.previousVersion} `}→ v{a.version}
                  </td>
                  <td>{a.actor}</td>
                  <td>{a.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="card wide">
        <h3>Diff between versions</h3>
        <div className="filters">
          <VersionSelect name="from" versions={versions} value={from} onChange={setFrom} />
          <VersionSelect name="to" versions={versions} value={to} onChange={setTo} />
          <span className="muted" data-testid="diff-summary">
            {diff.data ? `${changed} changed line(s)` : ''}
          </span>
        </div>
        <Problem error={diff.error} />
        <pre className="diff" data-testid="policy-diff">
          {(diff.data ?? []).map((l, i) => (
            <div key={i} className={l.kind}>
              {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
              {l.text}
            </div>
          ))}
        </pre>
      </div>
    </section>
  );
}

function VersionSelect({ name, versions, value, onChange }: { name: string; versions: PolicyVersion[]; value: number | undefined; onChange: (v: number) => void }) {
  return (
    <label>
      {name}{' '}
      <select name={name} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );
}
