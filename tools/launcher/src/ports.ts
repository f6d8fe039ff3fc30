import * as net from 'node:net';

/** True when nothing listens on host:port (checked by binding it briefly). */
export function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Free ports, each distinct from the others it gave and from `reserved`: a port handed to a
 * process that has not bound it yet still looks free, and the OS may give it out again.
 */
export function portPicker(reserved: Iterable<number> = []): PortPicker {
  const taken = new Set(reserved);
  const pick = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) return taken.add(p), p;
    }
  };
  return Object.assign(pick, { reserve: (port: number) => void taken.add(port) });
}

export interface PortPicker {
  (): Promise<number>;
  /** A port chosen otherwise (set by the operator) that later picks must not return. */
  reserve(port: number): void;
}

export async function waitForPort(port: number, host: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host }, () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
