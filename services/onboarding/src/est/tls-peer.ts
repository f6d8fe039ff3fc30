import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ClientCertificate } from '../authorizers/enrollment-authorizer';

function isTls(socket: Socket): socket is TLSSocket {
  return typeof (socket as TLSSocket).getProtocol === 'function';
}

/**
 * The channel binding RFC 7030 3.5 links a CSR to: tls-unique on TLS 1.2 (RFC 5929: the
 * first Finished message of the latest handshake: the client's in a full handshake, the
 * server's in a resumed one); tls-exporter on TLS 1.3 (RFC 9266), which has no tls-unique.
 */
export function channelBinding(socket: Socket): Buffer | null {
  if (!isTls(socket)) return null;
  const version = socket.getProtocol();
  if (version === 'TLSv1.3') return socket.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0));
  if (version === 'TLSv1.2') return (socket.isSessionReused() ? socket.getFinished() : socket.getPeerFinished()) ?? null;
  return null;
}

/** The client certificate and the intermediates the client sent with it, if any. */
export function clientCertificate(socket: Socket): ClientCertificate | undefined {
  if (!isTls(socket)) return undefined;
  const leaf = socket.getPeerCertificate(true);
  if (!leaf || !leaf.raw) return undefined;
  const chain: Buffer[] = [];
  let c = leaf.issuerCertificate;
  let prev = leaf;
  while (c && c.raw && c !== prev && c.fingerprint256 !== prev.fingerprint256 && chain.length < 8) {
    chain.push(c.raw);
    prev = c;
    c = c.issuerCertificate;
  }
  return { der: leaf.raw, chain };
}
