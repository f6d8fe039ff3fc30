import { currentSession, endSession } from '../session';
import { API } from './client';

export interface StreamEvent {
  type: string;
  data: unknown;
}

/**
 * Follows a server-sent event stream of the operator API. EventSource cannot send the bearer
 * token, so this reads text/event-stream from fetch; the format is the WHATWG one (fields
 * `event:` and `data:`, an empty line ends an event). Reconnects after a dropped connection;
 * a 401 or a `session-expired` event ends the session. Returns a function that stops it.
 */
export function followEvents(path: string, onEvent: (e: StreamEvent) => void, onState: (live: boolean) => void): () => void {
  const abort = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      const token = currentSession()?.token;
      if (!token) {
        endSession('expired');
        return;
      }
      try {
        const res = await fetch(API + path, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal, cache: 'no-store' });
        if (res.status === 401) {
          endSession('expired');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        onState(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
            const event = parseEvent(block);
            if (!event) continue;
            if (event.type === 'session-expired') {
              endSession('expired');
              return;
            }
            onEvent(event);
          }
        }
      } catch {
        if (stopped) return;
      }
      onState(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => {
    stopped = true;
    abort.abort();
  };
}

export function parseEvent(block: string): StreamEvent | null {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  try {
    return { type, data: JSON.parse(data.join('\n')) };
  } catch {
    return { type, data: data.join('\n') };
  }
}
