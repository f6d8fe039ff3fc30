import { randomUUID } from 'node:crypto';
import { headers, type Msg, type NatsConnection, type RequestOptions } from '@nats-io/transport-node';
import { DomainError, ErrorCode } from '@iis/contracts';
import { acceptCorrelationId, CORRELATION_HEADER, currentCorrelationId } from './correlation';

/**
 * Request/reply over NATS in the wire format of @nestjs/microservices' NATS transport
 * (`{pattern, data, id}` out, `{response | err, isDisposed}` back), so callers that are
 * not Nest applications (the CLI's agent, tests) talk to the services the same way.
 * Errors come back as DomainError with the handler's code; silence becomes UNAVAILABLE.
 * The current correlation id (or a fresh one) travels in the x-correlation-id header.
 *
 * Requests made during one turn of the event loop go to the connection together, at its end
 * (setImmediate): nats.js writes what was published since the last microtask checkpoint in one
 * socket write, so a busy service makes one write for many requests instead of one each (a
 * loopback write cost the onboarding event loop ~90 us, 14 % of its CPU under EST load). The
 * queue belongs to the connection, not to the client: every RpcClient on one connection shares
 * the one write.
 */
const queuedByConnection = new WeakMap<NatsConnection, Array<() => void>>();

function sendTogether(nc: NatsConnection, send: () => void): void {
  let queued = queuedByConnection.get(nc);
  if (!queued) {
    queuedByConnection.set(nc, (queued = []));
    setImmediate(() => {
      queuedByConnection.delete(nc);
      for (const each of queued!) each();
    });
  }
  queued.push(send);
}

export class RpcClient {

  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async request<Req, Rep>(subject: string, data: Req, timeoutMs = this.defaultTimeoutMs): Promise<Rep> {
    const envelope = JSON.stringify({ pattern: subject, data, id: randomUUID() });
    let raw: string;
    try {
      const h = headers();
      h.set(CORRELATION_HEADER, currentCorrelationId() ?? acceptCorrelationId(undefined));
      const msg = await this.send(subject, envelope, { timeout: timeoutMs, headers: h });
      raw = msg.string();
    } catch (e) {
      const text = (e as Error).message ?? String(e);
      throw new DomainError(ErrorCode.Unavailable, `${subject}: no answer (${text})`);
    }
    let packet: { response?: Rep; err?: unknown };
    try {
      packet = JSON.parse(raw);
    } catch {
      throw new DomainError(ErrorCode.Internal, `${subject}: reply is not JSON`);
    }
    if (packet.err !== undefined && packet.err !== null) {
      if (DomainError.isBody(packet.err)) throw new DomainError(packet.err.code, packet.err.message);
      const message = typeof packet.err === 'string' ? packet.err : JSON.stringify(packet.err);
      throw new DomainError(ErrorCode.Internal, `${subject}: ${message}`);
    }
    return packet.response as Rep;
  }

  private send(subject: string, payload: string, opts: RequestOptions): Promise<Msg> {
    return new Promise((resolve, reject) =>
      sendTogether(this.nc, () => {
        try {
          this.nc.request(subject, payload, opts).then(resolve, reject);
        } catch (e) {
          reject(e);
        }
      }),
    );
  }
}
