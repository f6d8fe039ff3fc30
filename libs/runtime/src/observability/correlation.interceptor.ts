import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Observable } from 'rxjs';
import { acceptCorrelationId, CORRELATION_HEADER, REQUEST_ID_HEADER, withCorrelationId } from '@iis/messaging';

interface NatsContextLike {
  getSubject?: () => string;
  getHeaders?: () => { get(k: string): string } | undefined;
}

/** A request as Express or a plain node:http handler holds it. */
type WithId = IncomingMessage & { correlationId?: string; originalUrl?: string };

/**
 * HTTP: takes the caller's x-request-id (or makes one), echoes it, and remembers it on the request;
 * one debug line per answered request. Express middleware, and usable by a plain node:http handler.
 */
export function requestIdMiddleware(logger: Logger) {
  return (req: WithId, res: ServerResponse, next: () => void): void => {
    const id = acceptCorrelationId(req.headers[REQUEST_ID_HEADER] as string | undefined);
    req.correlationId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    const started = performance.now();
    res.once('finish', () => withCorrelationId(id, () => logger.debug(`${req.method} ${(req.originalUrl ?? req.url ?? '').split('?')[0]} ${res.statusCode} in ${(performance.now() - started).toFixed(1)} ms`)));
    withCorrelationId(id, next);
  };
}

/**
 * Runs every handler under its request's correlation id: from the x-correlation-id NATS header
 * (set by RpcClient) or the HTTP request id, so log lines and onward NATS calls carry it.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  private readonly logger = new Logger('rpc');

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    let id: string;
    let subject: string | undefined;
    if (ctx.getType() === 'rpc') {
      const nats = ctx.switchToRpc().getContext<NatsContextLike>();
      subject = nats?.getSubject?.();
      id = acceptCorrelationId(nats?.getHeaders?.()?.get(CORRELATION_HEADER));
    } else if (ctx.getType() === 'http') {
      id = ctx.switchToHttp().getRequest<WithId>().correlationId ?? acceptCorrelationId(undefined);
    } else {
      return next.handle();
    }
    const started = performance.now();
    return new Observable((subscriber) =>
      withCorrelationId(id, () =>
        next.handle().subscribe({
          next: (v) => subscriber.next(v),
          error: (e) => {
            if (subject) withCorrelationId(id, () => this.logger.debug(`${subject} failed in ${(performance.now() - started).toFixed(1)} ms`));
            subscriber.error(e);
          },
          complete: () => {
            if (subject) withCorrelationId(id, () => this.logger.debug(`${subject} handled in ${(performance.now() - started).toFixed(1)} ms`));
            subscriber.complete();
          },
        }),
      ),
    );
  }
}
