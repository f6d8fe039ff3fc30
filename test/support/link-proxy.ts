import * as net from 'node:net';
import { freePort } from '../../tools/launcher/src/ports';

/**
 * The network link between a site and the cluster, as TCP forwarders on loopback (one per
 * cluster address). `cut()` drops every connection and refuses new ones, as a link that is down;
 * `restore()` listens again on the same ports. Bytes pass through untouched (TLS end to end).
 */
export class LinkProxy {
  private servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly routes: { port: number; target: number }[]) {}

  static async start(targets: number[]): Promise<LinkProxy> {
    const routes = [];
    for (const target of targets) routes.push({ port: await freePort(), target });
    const link = new LinkProxy(routes);
    await link.restore();
    return link;
  }

  /** The local ports standing for the cluster's addresses, in the order given. */
  get ports(): number[] {
    return this.routes.map((r) => r.port);
  }

  async restore(): Promise<void> {
    this.servers = await Promise.all(
      this.routes.map(
        (r) =>
          new Promise<net.Server>((resolve, reject) => {
            const server = net.createServer((inbound) => {
              const outbound = net.connect(r.target, '127.0.0.1');
              for (const s of [inbound, outbound]) {
                this.sockets.add(s);
                s.once('close', () => this.sockets.delete(s));
                s.on('error', () => undefined);
              }
              inbound.pipe(outbound).pipe(inbound);
              inbound.once('close', () => outbound.destroy());
              outbound.once('close', () => inbound.destroy());
            });
            server.once('error', reject);
            server.listen(r.port, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
  }

  async cut(): Promise<void> {
    const closed = this.servers.map((s) => new Promise((r) => s.close(r)));
    for (const s of this.sockets) s.destroy();
    await Promise.all(closed);
    this.servers = [];
  }
}
