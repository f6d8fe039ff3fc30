import { Observable } from 'rxjs';

export interface LiveFleetOptions<T> {
  snapshot: () => Promise<T>;
  stillValid: () => Promise<boolean>;
  tickMs: number;
  keepAliveMs: number;
  now?: () => number;
}

/**
 * A snapshot stream: looks every tick, sends `fleet` when the snapshot changed or the
 * keep-alive is due, and `session-expired` (then completes) once the credential no longer
 * holds. One look at a time; unsubscribing (the browser went away) stops the looking.
 */
export function liveFleet<T>(o: LiveFleetOptions<T>): Observable<{ type: string; data: unknown }> {
  const now = o.now ?? Date.now;
  return new Observable((sub) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let last = '';
    let lastSent = 0;
    const tick = async () => {
      try {
        if (!(await o.stillValid())) {
          sub.next({ type: 'session-expired', data: { reason: 'the token expired or was revoked' } });
          sub.complete();
          return;
        }
        const snap = await o.snapshot();
        const json = JSON.stringify(snap, (k, v) => (k === 'at' ? undefined : v));
        if (json !== last || now() - lastSent >= o.keepAliveMs) {
          last = json;
          lastSent = now();
          sub.next({ type: 'fleet', data: snap });
        }
      } catch (e) {
        sub.next({ type: 'problem', data: { message: (e as Error).message } });
      }
      if (!stopped) timer = setTimeout(() => void tick(), o.tickMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  });
}
