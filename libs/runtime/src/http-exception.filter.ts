import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode, HttpStatusByCode } from '@iis/contracts';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

/**
 * The one place an HTTP edge maps errors to statuses. A DomainError keeps its code; a
 * Nest HttpException (body parser, validation pipe) keeps its status; anything else is
 * logged and answered 500 without details.
 */
@Catch()
export class DomainHttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  /** @param authChallenge the WWW-Authenticate value sent with a 401 (RFC 9110 11.6.1). */
  constructor(private readonly authChallenge: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // A database outage is the service's dependency being away, not a bug: 503 with Retry-After.
    if (isDatabaseUnavailable(exception)) exception = databaseUnavailableError();
    if (exception instanceof DomainError) {
      const status = HttpStatusByCode[exception.code];
      if (status === 401) res.setHeader('WWW-Authenticate', this.authChallenge);
      if (status === 503 || status === 429) res.setHeader('Retry-After', String(exception.retryAfterSeconds ?? 5));
      res.status(status).json({ error: exception.toBody() });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
      res.status(status).json({ error: { code: codeForStatus(status), message: Array.isArray(message) ? message.join('; ') : message } });
      return;
    }
    // Body parsers raise plain errors carrying a status (too large, bad JSON).
    const status = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: codeForStatus(status), message: (exception as Error).message } });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(500).json({ error: { code: ErrorCode.Internal, message: 'internal error' } });
  }
}

function codeForStatus(status: number): ErrorCode {
  const found = Object.entries(HttpStatusByCode).find(([, s]) => s === status);
  return found ? (found[0] as ErrorCode) : status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest;
}
