import * as tls from 'node:tls';

/** A response as the client read it: status and the whole body. */
export interface ClientResponse {
  status: number;
  body: Buffer;
}

/**
 * The EST load generator's client: HTTP/1.1 over node:tls, one request at a time on one
 * connection, the way a device's EST client (libest, curl) talks. It exists because Node's
 * https client cost ~0.2-0.25 ms of CPU per enrollment, on the same 2 cores as the suite it
 * measures; this one does the same TLS (the server's chain and name verified at the handshake)
 * and reads every answer to its last byte by Content-Length.
 */
export class EstClientConnection {
  private socket: tls.TLSSocket | undefined;
  private connected: Promise<void> | undefined;

  constructor(
    private readonly url: URL,
    private readonly secureContext: tls.SecureContext,
    /** Keep the connection for the next request, or a new TLS handshake (no resumption) for each. */
    private readonly keepAlive: boolean,
  ) {}

  async request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<ClientResponse> {
    await this.connect();
    const socket = this.socket!;
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${this.url.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    if (!this.keepAlive) lines.push('Connection: close');
    const response = readResponse(socket);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
    try {
      const r = await response;
      if (!this.keepAlive || r.close) this.close();
      return { status: r.status, body: r.body };
    } catch (e) {
      this.close();
      throw e;
    }
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.connected = undefined;
  }

  private connect(): Promise<void> {
    this.connected ??= new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: this.url.hostname, port: Number(this.url.port), servername: this.url.hostname, secureContext: this.secureContext });
      socket.setNoDelay(true);
      socket.once('secureConnect', () => resolve());
      // Errors while connecting fail the request; later ones reach the request being read, or are
      // followed by 'close' between requests.
      socket.on('error', reject);
      // A connection the server closed (its keep-alive timeout) is not reused: the next request opens another.
      socket.once('close', () => {
        if (this.socket === socket) this.close();
      });
      this.socket = socket;
    });
    return this.connected;
  }
}

interface ReadResponse {
  status: number;
  body: Buffer;
  /** The server said it closes the connection. */
  close: boolean;
}

/** Reads one HTTP/1.1 response from `socket`: status line, headers, a Content-Length body. */
function readResponse(socket: tls.TLSSocket): Promise<ReadResponse> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) {
      reject(new Error('the connection is closed'));
      return;
    }
    let buffered: Buffer = Buffer.alloc(0);
    let head: { status: number; length: number; close: boolean; bodyStart: number } | undefined;
    const done = (err: Error | null, r?: ReadResponse) => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(r!);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      if (!head) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        try {
          head = parseHead(buffered.subarray(0, end).toString('latin1'), end + 4);
        } catch (e) {
          done(e as Error);
          return;
        }
      }
      if (buffered.length - head.bodyStart < head.length) return;
      if (buffered.length - head.bodyStart > head.length) {
        done(new Error('the server sent more than one answer to one request'));
        return;
      }
      done(null, { status: head.status, body: buffered.subarray(head.bodyStart), close: head.close });
    };
    const onError = (e: Error) => done(e);
    const onClose = () => done(new Error('the connection closed before the whole answer arrived'));
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

function parseHead(text: string, bodyStart: number): { status: number; length: number; close: boolean; bodyStart: number } {
  const [statusLine, ...headerLines] = text.split('\r\n');
  const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
  if (!m) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  let length: number | undefined;
  let close = false;
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') length = Number(value);
    if (name === 'transfer-encoding') throw new Error(`Transfer-Encoding ${value}: this client reads Content-Length bodies only`);
    if (name === 'connection' && value.toLowerCase() === 'close') close = true;
  }
  if (length === undefined || !Number.isInteger(length) || length < 0) throw new Error('the answer has no usable Content-Length');
  return { status: Number(m[1]), length, close, bodyStart };
}
