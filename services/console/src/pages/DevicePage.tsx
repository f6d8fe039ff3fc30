import { get, query } from '../api/client';
import type { Certificate, Decision, DeviceView } from '../api/types';
import { LineChart } from '../components/LineChart';
import { Problem } from '../components/Problem';
import { EmptyRow } from '../components/Tables';
import { shortHex, when } from '../lib/format';
import { useLoad } from '../lib/use-load';

/** Facts in a decision that came from attestation (IDevID, TPM quote) and the SIM binding check. */
const ATTESTATION_FACT = /^attestation\.|tpm|idevid|^sim\.(known|status|imeiChanged)$/;

/** One device: identity, SIM binding, certificates, attestation, trust score over time, the latest decision explained. */
export function DevicePage({ serial }: { serial: string }) {
  const device = useLoad(() => get<DeviceView>(`/devices/${encodeURIComponent(serial)}/details`), [serial]);
  const id = device.data?.id;
  const certs = useLoad(async () => (id ? get<{ certificates: Certificate[] }>(`/certificates${query({ deviceId: id, limit: 200 })}`) : undefined), [id]);
  const decisions = useLoad(() => get<{ trustState: string; decisions: Decision[] }>(`/devices/${encodeURIComponent(serial)}/decisions?limit=100`), [serial]);

  const d = device.data;
  const history = [...(decisions.data?.decisions ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const scored = history.filter((x) => x.score !== null).map((x) => ({ at: x.createdAt, value: x.score as number }));
  const latest = history[history.length - 1];
  const attestation = history.flatMap((x) => Object.entries(x.facts ?? {}).filter(([k]) => ATTESTATION_FACT.test(k)).map(([k, v]) => ({ at: x.createdAt, k, v })));
  const lastAttestation = new Map(attestation.map((a) => [a.k, a]));

  return (
    <section>
      <header className="page-head">
        <h2>
          Device <span data-testid="device-serial">{serial}</span>
        </h2>
        {decisions.data && <span className={`status ${decisions.data.trustState}`}>trust: {decisions.data.trustState}</span>}
      </header>
      <Problem error={device.error} />
      {d && (
        <div className="cards">
          <div className="card">
            <h3>Identity</h3>
            <dl className="props">
              <dt>serial</dt>
              <dd>{d.serial}</dd>
              <dt>id</dt>
              <dd className="mono">{d.id}</dd>
              <dt>class</dt>
              <dd>{d.deviceClass}</dd>
              <dt>status</dt>
              <dd>
                <span className={`status ${d.status}`} data-testid="device-status">
                  {d.status}
                </span>
              </dd>
              <dt>manufacturer</dt>
              <dd>{d.manufacturer ?? '—'}</dd>
              <dt>firmware</dt>
              <dd>{d.firmwareVersion ?? '—'}</dd>
              <dt>registered</dt>
              <dd>{when(d.createdAt)}</dd>
              <dt>first enrolled</dt>
              <dd>{when(d.firstEnrolledAt)}</dd>
            </dl>
          </div>
          <div className="card">
            <h3>SIM binding</h3>
            {d.sim ? (
              <dl className="props">
                <dt>ICCID</dt>
                <dd className="mono">{d.sim.iccid}</dd>
                <dt>IMSI</dt>
                <dd className="mono">{d.sim.imsi}</dd>
                <dt>IMEI</dt>
                <dd className="mono">{d.sim.imei}</dd>
                <dt>status</dt>
                <dd>
                  <span className={`status ${d.sim.status}`} data-testid="sim-status">
                    {d.sim.status}
                  </span>
                </dd>
                <dt>lost at</dt>
                <dd>{when(d.sim.lostAt)}</dd>
              </dl>
            ) : (
              <p className="muted">no SIM bound</p>
            )}
            {d.sim && <a href={`#/sims?iccid=${encodeURIComponent(d.sim.iccid)}`}>Open in SIM search</a>}
          </div>
          <div className="card">
            <h3>Attestation</h3>
            {lastAttestation.size === 0 ? (
              <p className="muted">no attestation evidence recorded in this device's decisions</p>
            ) : (
              <dl className="props">
                {[...lastAttestation.values()].map((a) => (
                  <div key={a.k}>
                    <dt>{a.k}</dt>
                    <dd>
                      {String(a.v)} <span className="muted">({when(a.at)})</span>
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        </div>
      )}

      <div className="card wide">
        <h3>Certificates</h3>
        <Problem error={certs.error} />
        <table data-testid="device-certificates">
          <thead>
            <tr>
              <th>serial</th>
              <th>subject</th>
              <th>profile</th>
              <th>not before</th>
              <th>not after</th>
              <th>status</th>
            </tr>
          </thead>
          <tbody>
            {(certs.data?.certificates ?? []).length === 0 && <EmptyRow cols={6}>none</EmptyRow>}
            {(certs.data?.certificates ?? []).map((c) => (
              <tr key={c.serial}>
                <td className="mono" title={c.serial}>
                  {shortHex(c.serial, 16)}
                </td>
                <td>{c.subject}</td>
                <td>{c.profile}</td>
                <td>{when(c.notBefore)}</td>
                <td>{when(c.notAfter)}</td>
                <td>
                  <span className={`status ${c.status}`}>{c.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card wide">
        <h3>Trust score over time</h3>
        <Problem error={decisions.error} />
        {scored.length === 0 ? <p className="muted">no scored decision yet</p> : <LineChart points={scored} title="trust score over time" />}
      </div>

      <div className="card wide" data-testid="latest-decision">
        <h3>Latest decision</h3>
        {!latest && <p className="muted">no decision yet</p>}
        {latest && (
          <>
            <p>
              <strong>{latest.action}</strong> ({latest.trigger}) → <span className={`status ${latest.outcome}`}>{latest.outcome}</span>
              {latest.score !== null && <> · score {latest.score}</>}
              {latest.trustOutcome && <> · {latest.trustOutcome}</>} · policy {latest.policyVersion} · {when(latest.createdAt)}
            </p>
            {latest.reasons.length > 0 && (
              <ul>
                {latest.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            )}
            <table>
              <thead>
                <tr>
                  <th>rule</th>
                  <th>why</th>
                  <th className="num">contribution</th>
                  <th>cap</th>
                </tr>
              </thead>
              <tbody>
                {latest.explanation.length === 0 && <EmptyRow cols={4}>no rule fired</EmptyRow>}
                {latest.explanation.map((r) => (
                  <tr key={r.ruleId}>
                    <td className="mono">{r.ruleId}</td>
                    <td>{r.description}</td>
                    <td className="num">{r.contribution}</td>
                    <td>{r.cap ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </section>
  );
}
