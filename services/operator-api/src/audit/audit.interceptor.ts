import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, map, Observable, throwError } from 'rxjs';
import { DomainError, HttpStatusByCode } from '@iis/contracts';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { isMutating } from '../auth/permissions';
import { AuditService } from './audit.service';
import { auditTarget, routeAction } from './audit-target';

/**
 * Every mutating call that got past authentication lands in the audit trail, succeeded or
 * failed, before its answer leaves: actor, role, action, target, device, reason, outcome.
 * (Refusals for lack of permission are written by the guard, which runs first.)
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isMutating(req.method) || !req.operator) return next.handle();
    const action = routeAction(ctx, this.reflector);
    const record = async (outcome: 'ok' | 'failed', status: number, detail: string | null, reply?: unknown) => {
      const { target, device } = auditTarget(req);
      const replied = reply as { deviceId?: unknown } | undefined;
      const replyDevice = typeof replied?.deviceId === 'string' ? replied.deviceId : null;
      return this.audit.append({
        actorId: req.operator.id,
        actor: req.operator.name,
        role: req.operator.role,
        action,
        target,
        device: device ?? replyDevice ?? (await this.audit.deviceOf(null, req.params?.iccid)),
        reason: typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 400) : null,
        outcome,
        status,
        detail,
      });
    };
    return next.handle().pipe(
      concatMap((reply) => from(record('ok', ctx.switchToHttp().getResponse().statusCode ?? 200, null, reply)).pipe(map(() => reply))),
      catchError((e: unknown) => {
        const { status, detail } = describe(e);
        return from(record('failed', status, detail)).pipe(concatMap(() => throwError(() => e)));
      }),
    );
  }
}

function describe(e: unknown): { status: number; detail: string } {
  if (e instanceof DomainError) return { status: HttpStatusByCode[e.code], detail: e.code };
  if (e instanceof HttpException) return { status: e.getStatus(), detail: `HTTP ${e.getStatus()}` };
  return { status: 500, detail: 'INTERNAL' };
}
