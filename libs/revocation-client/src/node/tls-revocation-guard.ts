import type { TLSSocket, Server as TlsServer } from 'node:tls';
import type { RevocationEvent } from '@iis/contracts';
import { normalizeSerial } from '../serial-number';

/** What the guard needs from a running agent (RunningAgent fits). */
export interface RevocationSource {
  isRevoked(serialHex: string): boolean;
  onRevoked(listener: (e: RevocationEvent) => void): void;
}

/**
 * In-process revocation for Node TLS servers and MQTT brokers written in Node: refuses a
 * connection whose client certificate is revoked, and ends live sockets the moment their
 * certificate's revocation arrives. Node checks CRLs only at the handshake, if given one;
 * this also covers sessions that are already open.
 */
export class TlsRevocationGuard {
  private readonly live = new Map<string, Set<TLSSocket>>();

  constructor(private readonly source: RevocationSource) {
    source.onRevoked((e) => this.cut(e.serial));
  }

  /** Serial of the socket's client certificate, normalized; undefined without one. */
  static serialOf(socket: TLSSocket): string | undefined {
    const cert = socket.getPeerCertificate();
    return cert && cert.serialNumber ? normalizeSerial(cert.serialNumber) : undefined;
  }

  isRevoked(socket: TLSSocket): boolean {
    const serial = TlsRevocationGuard.serialOf(socket);
    return serial !== undefined && this.source.isRevoked(serial);
  }

  /**
   * Watches a TLS server: every new secure connection is checked, and tracked until it
   * closes so a later revocation can end it. Returns a function that stops watching.
   */
  attach(server: TlsServer): () => void {
    const onSecure = (socket: TLSSocket) => this.admit(socket);
    server.on('secureConnection', onSecure);
    return () => server.off('secureConnection', onSecure);
  }

  /** For servers that hand over sockets another way (e.g. after their own handshake). */
  admit(socket: TLSSocket): boolean {
    const serial = TlsRevocationGuard.serialOf(socket);
    if (serial !== undefined && this.source.isRevoked(serial)) {
      socket.destroy();
      return false;
    }
    if (serial !== undefined) {
      let set = this.live.get(serial);
      if (!set) this.live.set(serial, (set = new Set()));
      set.add(socket);
      socket.once('close', () => {
        set!.delete(socket);
        if (set!.size === 0) this.live.delete(serial);
      });
    }
    return true;
  }

  /** Live sockets per certificate serial, for metrics. */
  liveSessions(): number {
    let n = 0;
    for (const s of this.live.values()) n += s.size;
    return n;
  }

  private cut(serialHex: string): void {
    const serial = normalizeSerial(serialHex);
    if (serial === undefined) return;
    for (const socket of this.live.get(serial) ?? []) socket.destroy();
    this.live.delete(serial);
  }
}
