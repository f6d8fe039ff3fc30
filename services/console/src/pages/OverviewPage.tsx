import { useEffect, useState } from 'react';
import { get } from '../api/client';
import { followEvents } from '../api/event-stream';
import type { FleetSnapshot, Timeline } from '../api/types';
import { BarChart } from '../components/BarChart';
import { Problem } from '../components/Problem';
import { EmptyRow, StatusCounts } from '../components/Tables';
import { shortHex, when } from '../lib/format';

/** The fleet at a glance, live from the operator API's event stream; the certificate chart refreshes each minute. */
export function OverviewPage() {
  const [snap, setSnap] = useState<FleetSnapshot>();
  const [live, setLive] = useState(false);
  const [timeline, setTimeline] = useState<Timeline>();
  const [problem, setProblem] = useState<unknown>();

  useEffect(() => followEvents('/status/stream', (e) => e.type === 'fleet' && setSnap(e.data as FleetSnapshot), setLive), []);
  useEffect(() => {
    const load = () => get<Timeline>('/certificates/timeline?bucketSeconds=3600&buckets=24').then(setTimeline, setProblem);
    load();
    const t = setInterval(load, 60_000);
    return () => clearInterval(t);
  }, []);

  const s = snap?.status;
  const bars = timeline
    ? [
        ...timeline.issued.map((value, i) => ({ value, label: `-${timeline.issued.length - i}h`, tone: 'past' as const })),
        ...timeline.expiring.map((value, i) => ({ value, label: `+${i + 1}h`, tone: 'future' as const })),
      ]
    : [];
  return (
    <section>
      <header className="page-head">
        <h2>Fleet overview</h2>
        <span className={live ? 'live on' : 'live'} data-testid="live-state">
          {live ? `live · updated ${when(s?.at)}` : 'connecting…'}
        </span>
      </header>
      <Problem error={problem} />
      {s && s.unavailable.length > 0 && <p className="problem">Not available: {s.unavailable.join(', ')}</p>}
      <div className="cards">
        <div className="card">
          <h3>Devices by status</h3>
          <StatusCounts counts={s?.devicesByStatus} testId="devices-by-status" empty="no devices" />
        </div>
        <div className="card">
          <h3>Certificates</h3>
          <dl className="figures">
            <dt>valid</dt>
            <dd data-testid="certs-valid">{s?.certificates?.valid ?? '—'}</dd>
            <dt>expiring within 7 days</dt>
            <dd>{s?.certificates?.expiringSoon ?? '—'}</dd>
            <dt>revoked in the last 24 h</dt>
            <dd data-testid="revoked-24h">{s?.certificates?.revokedSince ?? '—'}</dd>
          </dl>
        </div>
        <div className="card">
          <h3>SIMs by status</h3>
          <StatusCounts counts={s?.simsByStatus} empty="no SIMs" />
        </div>
      </div>

      <div className="card wide">
        <h3>Certificates issued (last 24 h) and expiring (next 24 h), per hour</h3>
        {timeline ? <BarChart bars={bars} title="certificates issued and expiring per hour" markerAfter={timeline.issued.length} markerLabel="now" /> : <p className="muted">loading…</p>}
      </div>

      <div className="card wide">
        <h3>Gateway agents</h3>
        <table data-testid="agents">
          <thead>
            <tr>
              <th>agent</th>
              <th className="num">applied sequence</th>
              <th className="num">stream sequence</th>
              <th className="num">lag</th>
              <th className="num">revoked held</th>
              <th>last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {(s?.agents ?? []).length === 0 && <EmptyRow cols={6}>no gateway agent has reported</EmptyRow>}
            {(s?.agents ?? []).map((a) => (
              <tr key={a.name} data-agent={a.name}>
                <td>{a.name}</td>
                <td className="num" data-field="applied">
                  {a.lastStreamSequence}
                </td>
                <td className="num">{s?.revocationStreamLastSequence}</td>
                <td className="num" data-field="lag">
                  <span className={a.lag === 0 ? 'ok' : 'warn'}>{a.lag}</span>
                </td>
                <td className="num">{a.revokedCount}</td>
                <td>
                  {when(a.lastSeenAt)} {a.stale && <span className="warn">stale</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card wide">
        <h3>Revocations in the last 24 h</h3>
        <table data-testid="revocations">
          <thead>
            <tr>
              <th className="num">seq</th>
              <th>certificate</th>
              <th>ICCID</th>
              <th>reason</th>
              <th>cause</th>
              <th>by</th>
              <th>at</th>
            </tr>
          </thead>
          <tbody>
            {(snap?.revocations ?? []).length === 0 && <EmptyRow cols={7}>none</EmptyRow>}
            {(snap?.revocations ?? []).map((r) => (
              <tr key={r.sequence} data-serial={r.serial}>
                <td className="num">{r.sequence}</td>
                <td className="mono" title={r.serial}>
                  {shortHex(r.serial, 16)}
                </td>
                <td className="mono">{r.iccid ?? '—'}</td>
                <td>{r.reason}</td>
                <td>{r.cause}</td>
                <td>{r.actor}</td>
                <td>{when(r.revokedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
