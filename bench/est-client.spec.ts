import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { EstClientConnection } from './est-client';

/** A TLS server for localhost (key and certificate made by openssl for this test). */
function serverIdentity(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'est-client-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '1'], { stdio: 'ignore' });
    return { key: fs.readFileSync(`${dir}/k.pem`, 'utf8'), cert: fs.readFileSync(`${dir}/c.pem`, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('EstClientConnection', () => {
  const identity = serverIdentity();
  let server: https.Server;
  let url: URL;
  let connections = 0;

  beforeAll(async () => {
    server = https.createServer(identity, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/chunked') {
          res.write('a');
          res.end('b');
          return;
        }
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Length': Buffer.byteLength(`${req.method} ${body}`) });
        res.end(`${req.method} ${body}`);
      });
    });
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = new URL(`https://localhost:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const context = () => tls.createSecureContext({ ca: identity.cert });

  it('reads status and body by Content-Length, reusing its connection', async () => {
    const before = connections;
    const c = new EstClientConnection(url, context(), true);
    expect(await c.request('POST', '/x', { 'Content-Type': 'text/plain' }, 'hello')).toEqual({ status: 201, body: Buffer.from('POST hello') });
    expect(await c.request('GET', '/x', {})).toEqual({ status: 200, body: Buffer.from('GET ') });
    expect(connections - before).toBe(1);
    c.close();
  });

  it('opens a new connection after the server closed an idle one', async () => {
    const before = connections;
    const c = new EstClientConnection(url, context(), true);
    expect((await c.request('GET', '/x', {})).status).toBe(200);
    // What a server's keep-alive timeout does to a connection left idle.
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 100));
    expect((await c.request('GET', '/x', {})).status).toBe(200);
    expect(connections - before).toBe(2);
    c.close();
  });

  it('makes a new TLS handshake for every request when not keeping connections', async () => {
    const before = connections;
    const c = new EstClientConnection(url, context(), false);
    for (let i = 0; i < 3; i++) expect((await c.request('GET', '/x', {})).status).toBe(200);
    expect(connections - before).toBe(3);
  });

  it('refuses an answer it cannot read by Content-Length', async () => {
    const c = new EstClientConnection(url, context(), true);
    await expect(c.request('GET', '/chunked', {})).rejects.toThrow(/Content-Length bodies only/);
  });

  it('verifies the server: a client that does not trust its CA fails the handshake', async () => {
    const c = new EstClientConnection(url, tls.createSecureContext(), true);
    await expect(c.request('GET', '/x', {})).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });
});
