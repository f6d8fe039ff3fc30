import { HttpException, Logger } from '@nestjs/common';
import { DomainError, ErrorBody, ErrorCode, HttpStatusByCode } from '@iis/contracts';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

/** What an HTTP edge answers for an error: status, extra headers, and the JSON body. */
export interface HttpErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: ErrorBody };
}

const logger = new Logger('http');

/**
 * The one place an HTTP edge maps errors to statuses. A DomainError keeps its code; a
 * Nest HttpException (body parser, validation pipe) keeps its status; anything else is
 * logged and answered 500 without details.
 * @param authChallenge the WWW-Authenticate value sent with a 401 (RFC 9110 11.6.1).
 */
export function httpErrorAnswer(exception: unknown, authChallenge: string): HttpErrorAnswer {
  // A database outage is the service's dependency being away, not a bug: 503 with Retry-After.
  if (isDatabaseUnavailable(exception)) exception = databaseUnavailableError();
  if (exception instanceof DomainError) {
    const status = HttpStatusByCode[exception.code];
    const headers: Record<string, string> = {};
    if (status === 401) headers['WWW-Authenticate'] = authChallenge;
    if (status === 503 || status === 429) headers['Retry-After'] = String(exception.retryAfterSeconds ?? 5);
    return { status, headers, body: { error: exception.toBody() } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
    return { status, headers: {}, body: { error: { code: codeForStatus(status), message: Array.isArray(message) ? message.join('; ') : message } } };
  }
  // Body parsers raise plain errors carrying a status (too large, bad JSON).
  const status = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, headers: {}, body: { error: { code: codeForStatus(status), message: (exception as Error).message } } };
  }
  logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
  return { status: 500, headers: {}, body: { error: { code: ErrorCode.Internal, message: 'internal error' } } };
}

function codeForStatus(status: number): ErrorCode {
  const found = Object.entries(HttpStatusByCode).find(([, s]) => s === status);
  return found ? (found[0] as ErrorCode) : status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest;
}
