import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from './permissions';

export const PERMISSION_KEY = 'iis:permission';
export const PUBLIC_KEY = 'iis:public';
export const AUDIT_ACTION_KEY = 'iis:audit-action';

/**
 * The permission a route (or every route of a controller) needs; see permissions.ts for which
 * roles hold it. Routes that declare nothing get `undeclared:read` (GET) or `undeclared:write`
 * (anything else, security-admin only): deny by default.
 *
 *   @Post(':iccid/report-lost') @RequirePermission('sims:report-lost') reportLost(…)
 */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no credential, or an unknown, expired or revoked one' }),
    ApiForbiddenResponse({ description: `the role lacks the permission "${permission}" (the refusal is audited)` }),
    ApiTooManyRequestsResponse({ description: 'too many failed authentication attempts from this address' }),
  );

/** A route with no credential at all (health, the OpenAPI document). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The action name the audit trail records for a mutating route; the default is "METHOD /path". */
export const AuditAction = (action: string) => SetMetadata(AUDIT_ACTION_KEY, action);
