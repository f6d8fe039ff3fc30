import { FormEvent, useState } from 'react';
import { get, query } from '../api/client';
import type { DeviceView } from '../api/types';
import { Problem } from '../components/Problem';
import { when } from '../lib/format';
import { useLoad } from '../lib/use-load';

/** Find a device: by serial straight to its page, or browse the registry by status. */
export function DevicesPage() {
  const [status, setStatus] = useState('');
  const [serial, setSerial] = useState('');
  const list = useLoad(() => get<{ devices: DeviceView[]; nextCursor: string | null }>(`/devices${query({ status, limit: 200 })}`), [status]);
  const open = (e: FormEvent) => {
    e.preventDefault();
    if (serial.trim()) location.hash = `#/devices/${encodeURIComponent(serial.trim())}`;
  };
  return (
    <section>
      <header className="page-head">
        <h2>Devices</h2>
      </header>
      <form className="filters" onSubmit={open}>
        <label>
          Serial <input name="serial" value={serial} onChange={(e) => setSerial(e.target.value)} placeholder="SN-0001" />
        </label>
        <button type="submit">Open device</button>
        <label>
          Status{' '}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {['pending', 'active', 'quarantined', 'retired'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      <Problem error={list.error} />
      <table data-testid="device-list">
        <thead>
          <tr>
            <th>serial</th>
            <th>class</th>
            <th>status</th>
            <th>ICCID</th>
            <th>SIM</th>
            <th>registered</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.devices ?? []).map((d) => (
            <tr key={d.id}>
              <td>
                <a href={`#/devices/${encodeURIComponent(d.serial)}`}>{d.serial}</a>
              </td>
              <td>{d.deviceClass}</td>
              <td>
                <span className={`status ${d.status}`}>{d.status}</span>
              </td>
              <td className="mono">{d.sim?.iccid ?? '—'}</td>
              <td>{d.sim ? <span className={`status ${d.sim.status}`}>{d.sim.status}</span> : '—'}</td>
              <td>{when(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.nextCursor && <p className="muted">Showing the first 200; filter by status or open a serial.</p>}
    </section>
  );
}
