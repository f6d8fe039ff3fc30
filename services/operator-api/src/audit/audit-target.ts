import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUDIT_ACTION_KEY } from '../auth/require-permission.decorator';

/** What a request acts on, for the audit trail: its path (no query) and the device when named. */
export function auditTarget(req: Request): { target: string; device: string | null } {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const device = firstString(req.params?.serial, req.body?.serial, req.body?.deviceId);
  return { target: path.slice(0, 300), device: device ? device.slice(0, 64) : null };
}

/** The route's declared action, or "POST /api/v1/sims/:iccid/report-lost". */
export function routeAction(ctx: ExecutionContext, reflector: Reflector): string {
  const declared = reflector.getAllAndOverride<string>(AUDIT_ACTION_KEY, [ctx.getHandler(), ctx.getClass()]);
  if (declared) return declared;
  const req = ctx.switchToHttp().getRequest<Request>();
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  return `${req.method} ${route}`.slice(0, 100);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}
