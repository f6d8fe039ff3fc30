/**
 * The console session: the operator's token and what it may do, in sessionStorage (gone when
 * the tab closes, never in a cookie, so no request is sent with it unless the console sends
 * it). A session lasts at most SESSION_HOURS; the API ends it sooner when the token expires or
 * is revoked (401), and the console then returns to the login page.
 */
export const SESSION_HOURS = 8;
const KEY = 'iis-console-session';

export interface Session {
  token: string;
  name: string;
  role: string;
  permissions: string[];
  /** ms since the epoch */
  expiresAt: number;
}

export type LoginNotice = 'expired' | 'signed-out' | null;

let notice: LoginNotice = null;
const listeners = new Set<() => void>();

export function currentSession(now = Date.now()): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    if (typeof s.token === 'string' && typeof s.expiresAt === 'number' && s.expiresAt > now) return s;
  } catch {
    // unreadable: treated as no session
  }
  sessionStorage.removeItem(KEY);
  notice = 'expired';
  return null;
}

export function startSession(s: Omit<Session, 'expiresAt'>, now = Date.now()): Session {
  const session = { ...s, expiresAt: now + SESSION_HOURS * 3600_000 };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  notice = null;
  emit();
  return session;
}

export function endSession(why: Exclude<LoginNotice, null>): void {
  sessionStorage.removeItem(KEY);
  notice = why;
  emit();
}

/** Why the login page shows (once read, it is cleared). */
export function takeNotice(): LoginNotice {
  const n = notice;
  notice = null;
  return n;
}

export function may(session: Session | null, permission: string): boolean {
  return !!session && session.permissions.includes(permission);
}

export function onSessionChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

function emit(): void {
  for (const f of listeners) f();
}
