import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@iis/contracts';
import { Operator, OperatorTokensService } from './operator-tokens.service';

export type AuthenticatedRequest = Request & { operator: Operator };

/** Every operator API route needs a valid bearer token; the operator is attached to the request. */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(private readonly tokens: OperatorTokensService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new DomainError(ErrorCode.Unauthorized, 'a bearer token is required');
    const operator = await this.tokens.authenticate(m[1]);
    if (!operator) throw new DomainError(ErrorCode.Unauthorized, 'token unknown, expired or revoked');
    req.operator = operator;
    return true;
  }
}
