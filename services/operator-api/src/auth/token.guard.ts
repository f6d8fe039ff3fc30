import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@iis/contracts';
import { AuditService } from '../audit/audit.service';
import { auditTarget, routeAction } from '../audit/audit-target';
import { OperatorAuthService } from './operator-auth.service';
import { Operator } from './operator-tokens.service';
import { can, defaultPermission, Permission } from './permissions';
import { PERMISSION_KEY, PUBLIC_KEY } from './require-permission.decorator';

/** The client certificate of an mTLS connection whose chain the TLS layer verified; else undefined. */
function verifiedPeerCertificate(req: Request): Buffer | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted || !socket.authorized) return undefined;
  const peer = socket.getPeerCertificate();
  return peer?.raw && peer.raw.length > 0 ? peer.raw : undefined;
}

export type AuthenticatedRequest = Request & { operator: Operator; permissionChecked?: Permission };

/**
 * Authentication and authorization for every operator API route. It runs globally (APP_GUARD)
 * and may also be named with `@UseGuards(TokenGuard)`; the second run is a no-op.
 *   no or bad credential → 401; too many failures from one address → 429;
 *   a role without the route's permission (see @RequirePermission) → 403, written to the audit trail.
 */
@Injectable()
export class TokenGuard implements CanActivate {
  constructor(
    private readonly auth: OperatorAuthService,
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();

    req.operator = await this.auth.authenticate(
      req.headers.authorization,
      req.ip ?? req.socket.remoteAddress ?? 'unknown',
      (s) => ctx.switchToHttp().getResponse().setHeader('Retry-After', String(s)),
      verifiedPeerCertificate(req),
    );
    const permission =
      this.reflector.getAllAndOverride<Permission>(PERMISSION_KEY, targets) ?? defaultPermission(req.method, (req.route as { path?: string } | undefined)?.path ?? '');
    if (!can(req.operator.role, permission)) {
      const { target, device } = auditTarget(req);
      await this.audit.append({
        actorId: req.operator.id,
        actor: req.operator.name,
        role: req.operator.role,
        action: routeAction(ctx, this.reflector),
        target,
        device: await this.audit.deviceOf(device, req.params?.iccid),
        reason: typeof req.body?.reason === 'string' ? req.body.reason.slice(0, 400) : null,
        outcome: 'denied',
        status: 403,
        detail: `needs ${permission}`,
      });
      throw new DomainError(ErrorCode.Forbidden, `role ${req.operator.role} may not do this (needs ${permission})`);
    }
    req.permissionChecked = permission;
    return true;
  }
}
