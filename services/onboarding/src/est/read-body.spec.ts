import * as http from 'node:http';
import * as net from 'node:net';
import { DomainError, ErrorCode } from '@iis/contracts';
import { readBody } from './read-body';

/** A server whose only handler reads the body; resolves with what readBody settled with. */
async function readOnce(send: (port: number) => void, limit = 1024): Promise<Buffer | DomainError> {
  let settle!: (v: Buffer | DomainError) => void;
  const settled = new Promise<Buffer | DomainError>((r) => (settle = r));
  const server = http.createServer((req, res) => {
    readBody(req, limit).then(settle, settle);
    res.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    send((server.address() as net.AddressInfo).port);
    return await settled;
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function rawRequest(port: number, head: string, body: string, thenClose: boolean): void {
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write(head + body);
    if (thenClose) setTimeout(() => socket.destroy(), 50);
  });
  socket.on('error', () => undefined);
}

describe('readBody', () => {
  it('reads the whole body', async () => {
    const r = await readOnce((port) => rawRequest(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n', 'hello', false));
    expect(r).toEqual(Buffer.from('hello'));
  });

  it('a client gone before its body was complete is a 400 naming it, not an outage', async () => {
    const r = await readOnce((port) => rawRequest(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n', 'only ten b', true));
    expect(r).toBeInstanceOf(DomainError);
    expect((r as DomainError).code).toBe(ErrorCode.BadRequest);
    expect((r as DomainError).message).toMatch(/did not arrive whole/);
  });

  it('a declared length over the limit is 413 before reading', async () => {
    const r = await readOnce((port) => rawRequest(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n', '', false), 1024);
    expect((r as DomainError).code).toBe(ErrorCode.PayloadTooLarge);
  });
});
