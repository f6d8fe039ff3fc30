import { FormEvent, useState } from 'react';
import { api, ApiError } from '../api/client';
import { LoginNotice, startSession } from '../session';

/** Log in with an operator token (`idctl token create`); the API says who it is and what it may do. */
export function LoginPage({ notice }: { notice: LoginNotice }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const me = await api<{ name: string; role: string; permissions: string[] }>('GET', '/session', undefined, token.trim());
      startSession({ token: token.trim(), ...me });
      location.hash = '#/overview';
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 401 ? 'That token is unknown, expired or revoked.' : String((err as Error).message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <h1>IoT Identity Suite</h1>
      <p className="muted">Security console</p>
      {notice === 'expired' && (
        <p className="notice" data-testid="session-expired">
          Your session has expired. Log in again.
        </p>
      )}
      {notice === 'signed-out' && <p className="notice">Signed out.</p>}
      <form onSubmit={submit}>
        <label htmlFor="token">Operator token</label>
        <input id="token" name="token" type="password" autoComplete="off" placeholder="iis_…" value={token} onChange={(e) => setToken(e.target.value)} required />
        <button type="submit" disabled={busy || !token.trim()}>
          Log in
        </button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </main>
  );
}
