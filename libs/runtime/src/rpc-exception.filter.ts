import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorBody, ErrorCode } from '@iis/contracts';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

/** Turns every error thrown by a NATS handler into the shared `{code, message}` body. */
@Catch()
export class DomainRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

  catch(exception: unknown, _host: ArgumentsHost): Observable<ErrorBody> {
    if (exception instanceof DomainError) return throwError(() => exception.toBody());
    if (isDatabaseUnavailable(exception)) return throwError(() => databaseUnavailableError().toBody());
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return throwError(() => ({ code: ErrorCode.Internal, message: 'internal error' }));
  }
}
