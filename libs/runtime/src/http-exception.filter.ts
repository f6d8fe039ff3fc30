import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { httpErrorAnswer } from './http-error-answer';

/** Nest's side of httpErrorAnswer: every error an HTTP controller raises, answered as it says. */
@Catch()
export class DomainHttpExceptionFilter implements ExceptionFilter {
  /** @param authChallenge the WWW-Authenticate value sent with a 401 (RFC 9110 11.6.1). */
  constructor(private readonly authChallenge: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = httpErrorAnswer(exception, this.authChallenge);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }
}
