/**
 * Roles and what each may do. Framework-free: the guard, the OpenAPI document and the specs
 * all read this one table. A new controller declares its permission with
 * `@RequirePermission('…')` (require-permission.decorator.ts); add a new permission here,
 * in PERMISSIONS and in the roles that get it.
 */
export const ROLES = ['viewer', 'operator', 'security-admin', 'policy-admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'devices:read',
  'devices:write',
  'devices:quarantine',
  'sims:read',
  'sims:write',
  'sims:report-lost',
  /** Put a SIM reported lost by mistake back to active (its revoked certificates stay revoked). */
  'sims:restore',
  /** Suspend a SIM (its certificates on certificateHold) and resume it (holds released). */
  'sims:suspend',
  'secrets:create',
  'certificates:read',
  'certificates:revoke',
  /** Attestation results (passes and refusals with their reason codes). */
  'attestations:read',
  'revocations:read',
  'policies:read',
  'policies:write',
  'decisions:read',
  'status:read',
  'audit:read',
  'tokens:manage',
  /** Who am I: the caller's own name, role and permissions (the web console shows only what it may do). */
  'session:read',
  /** EST labels: CA profile, key types, proof-of-possession and approval rules. */
  'est:configure',
  /** A read route that declared nothing: any authenticated role. */
  'undeclared:read',
  /** A mutating route that declared nothing: deny by default, except the security-admin. */
  'undeclared:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'devices:read',
  'sims:read',
  'certificates:read',
  'attestations:read',
  'revocations:read',
  'policies:read',
  'decisions:read',
  'status:read',
  'session:read',
  'undeclared:read',
];
const OPERATE: Permission[] = ['devices:write', 'sims:write', 'secrets:create'];

/**
 * The security-admin holds the keys (tokens) and so can always give itself any role; it is
 * also the operator of last resort. Policy changes stay with the policy-admin (four eyes: a
 * policy change needs a second credential, and both show in the audit trail).
 */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(READ),
  operator: new Set([...READ, ...OPERATE]),
  'security-admin': new Set([
    ...READ,
    ...OPERATE,
    'devices:quarantine',
    'sims:report-lost',
    'sims:restore',
    'sims:suspend',
    'certificates:revoke',
    'audit:read',
    'tokens:manage',
    'est:configure',
    'undeclared:write',
  ]),
  'policy-admin': new Set([...READ, 'policies:write']),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: string, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].has(permission);
}

/** Security actions named by the last words of a route, whatever resource they act on. */
const ACTION_RULES: [RegExp, Permission][] = [
  [/\/quarantine(\/|$)/, 'devices:quarantine'],
  [/\/(revoke|revocation)(\/|$)/, 'certificates:revoke'],
  [/\/report-lost(\/|$)/, 'sims:report-lost'],
  [/\/(suspend|resume)(\/|$)/, 'sims:suspend'],
];

/** Resources by route prefix: [prefix, read permission, write permission]. */
const RESOURCE_RULES: [string, Permission, Permission][] = [
  ['/api/v1/devices', 'devices:read', 'devices:write'],
  ['/api/v1/sims', 'sims:read', 'sims:write'],
  ['/api/v1/enrollment-secrets', 'devices:read', 'secrets:create'],
  ['/api/v1/certificates', 'certificates:read', 'certificates:revoke'],
  ['/api/v1/revocations', 'revocations:read', 'certificates:revoke'],
  ['/api/v1/policies', 'policies:read', 'policies:write'],
  ['/api/v1/decisions', 'decisions:read', 'undeclared:write'],
  ['/api/v1/audit', 'audit:read', 'undeclared:write'],
  ['/api/v1/tokens', 'tokens:manage', 'tokens:manage'],
];

/**
 * What a route needs when it declares nothing with @RequirePermission: a security action by
 * its name (quarantine, revoke, report-lost), else the resource's read or write permission by
 * the route's path pattern (`/api/v1/policies/:id` → policies:write for a PUT), else reads open
 * to every role and writes to the security-admin only. Give the route pattern (`req.route.path`),
 * never the raw URL, so a parameter value cannot choose the rule.
 */
export function defaultPermission(method: string, routePath = ''): Permission {
  const read = ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  if (!read) for (const [pattern, permission] of ACTION_RULES) if (pattern.test(routePath)) return permission;
  const resource = RESOURCE_RULES.find(([prefix]) => routePath === prefix || routePath.startsWith(`${prefix}/`));
  if (resource) return read ? resource[1] : resource[2];
  return read ? 'undeclared:read' : 'undeclared:write';
}

/** Mutating HTTP methods: every call with one of these lands in the audit trail. */
export function isMutating(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
