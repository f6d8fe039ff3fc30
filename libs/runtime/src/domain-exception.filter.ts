import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Observable } from 'rxjs';
import { DomainHttpExceptionFilter } from './http-exception.filter';
import { DomainRpcExceptionFilter } from './rpc-exception.filter';

/**
 * One global filter for a hybrid (HTTP + NATS) service: Nest gives a hybrid app's
 * microservice the app's filters only by inheritance, so this one dispatches on the
 * kind of request to the HTTP or the RPC mapping.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly http: DomainHttpExceptionFilter;
  private readonly rpc = new DomainRpcExceptionFilter();

  constructor(authChallenge: string) {
    this.http = new DomainHttpExceptionFilter(authChallenge);
  }

  catch(exception: unknown, host: ArgumentsHost): void | Observable<unknown> {
    if (host.getType() === 'rpc') return this.rpc.catch(exception, host);
    return this.http.catch(exception, host);
  }
}
