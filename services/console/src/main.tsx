import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuditPage } from './pages/AuditPage';
import { DevicePage } from './pages/DevicePage';
import { DevicesPage } from './pages/DevicesPage';
import { LoginPage } from './pages/LoginPage';
import { OverviewPage } from './pages/OverviewPage';
import { PolicyPage } from './pages/PolicyPage';
import { SimsPage } from './pages/SimsPage';
import { currentSession, endSession, LoginNotice, onSessionChange, Session, takeNotice } from './session';
import './styles.css';

/** Routes live in the URL fragment (#/devices/SN-1), so the server serves one page for all of them. */
function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const f = () => setHash(location.hash);
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  return hash;
}

function useSession(): [Session | null, LoginNotice] {
  const [state, setState] = useState<[Session | null, LoginNotice]>(() => {
    const s = currentSession();
    return [s, s ? null : takeNotice()];
  });
  useEffect(() => {
    const check = () => {
      const s = currentSession();
      setState([s, s ? null : takeNotice()]);
    };
    const off = onSessionChange(check);
    // The session's own deadline: checked each minute even when no request is made.
    const t = setInterval(() => currentSession() === null && state[0] !== null && check(), 60_000);
    return () => {
      off();
      clearInterval(t);
    };
  }, [state]);
  return state;
}

const NAV: [string, string][] = [
  ['#/overview', 'Overview'],
  ['#/devices', 'Devices'],
  ['#/sims', 'SIMs'],
  ['#/policy', 'Policy'],
  ['#/audit', 'Audit'],
];

function App() {
  const hash = useHash();
  const [session, notice] = useSession();
  if (!session) return <LoginPage notice={notice} />;
  const [route, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = route.split('/').filter(Boolean);
  let page;
  if (parts[0] === 'devices' && parts[1]) page = <DevicePage key={parts[1]} serial={decodeURIComponent(parts[1])} />;
  else if (parts[0] === 'devices') page = <DevicesPage />;
  else if (parts[0] === 'sims') page = <SimsPage session={session} initial={new URLSearchParams(search)} />;
  else if (parts[0] === 'policy') page = <PolicyPage />;
  else if (parts[0] === 'audit') page = <AuditPage session={session} />;
  else page = <OverviewPage />;
  return (
    <>
      <nav className="top">
        <strong>IoT Identity Suite</strong>
        {NAV.map(([href, label]) => (
          <a key={href} href={href} className={`#/${parts[0] ?? 'overview'}` === href ? 'current' : ''}>
            {label}
          </a>
        ))}
        <span className="who" data-testid="who">
          {session.name} · {session.role}
        </span>
        <button onClick={() => endSession('signed-out')}>Log out</button>
      </nav>
      <main>{page}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
