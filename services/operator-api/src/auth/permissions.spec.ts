import { can, defaultPermission, isMutating, Permission, Role, ROLE_PERMISSIONS, ROLES } from './permissions';

/** One row per role and action: the whole matrix, so a change to a role shows up as a diff here. */
const matrix: Record<Permission, Role[]> = {
  'devices:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'devices:write': ['operator', 'security-admin'],
  'devices:quarantine': ['security-admin'],
  'sims:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'sims:write': ['operator', 'security-admin'],
  'sims:report-lost': ['security-admin'],
  'sims:restore': ['security-admin'],
  'sims:suspend': ['security-admin'],
  'secrets:create': ['operator', 'security-admin'],
  'certificates:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'certificates:revoke': ['security-admin'],
  'attestations:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'revocations:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'policies:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'policies:write': ['policy-admin'],
  'decisions:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'status:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'audit:read': ['security-admin'],
  'tokens:manage': ['security-admin'],
  'session:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'est:configure': ['security-admin'],
  'undeclared:read': ['viewer', 'operator', 'security-admin', 'policy-admin'],
  'undeclared:write': ['security-admin'],
};

const rows = Object.entries(matrix).flatMap(([permission, allowed]) =>
  ROLES.map((role) => [`${allowed.includes(role) ? 'ok' : 'fail'}/${role} ${permission}`, role, permission as Permission, allowed.includes(role)] as const),
);

describe('role permissions', () => {
  it.each(rows)('%s', (_name, role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it('the matrix covers every permission each role holds', () => {
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) expect(matrix[p]).toContain(role);
    }
  });

  it.each([
    ['fail/unknown role', 'root'],
    ['fail/empty role', ''],
    ['fail/prototype key', '__proto__'],
  ])('%s', (_n, role) => {
    expect(can(role, 'devices:read')).toBe(false);
  });

  it.each([
    ['ok/GET is a read', 'GET', 'undeclared:read', false],
    ['ok/get lower case', 'get', 'undeclared:read', false],
    ['ok/POST is a write', 'POST', 'undeclared:write', true],
    ['ok/DELETE is a write', 'DELETE', 'undeclared:write', true],
    ['ok/PATCH is a write', 'PATCH', 'undeclared:write', true],
  ])('%s', (_n, method, permission, mutating) => {
    expect(defaultPermission(method)).toBe(permission);
    expect(isMutating(method)).toBe(mutating);
  });

  // Routes other features add without @RequirePermission still land on the right permission.
  it.each([
    ['ok/policy read', 'GET', '/api/v1/policies/:id', 'policies:read'],
    ['ok/policy change', 'PUT', '/api/v1/policies/:id', 'policies:write'],
    ['ok/policy create', 'POST', '/api/v1/policies', 'policies:write'],
    ['ok/decisions read', 'GET', '/api/v1/decisions', 'decisions:read'],
    ['ok/device change', 'PATCH', '/api/v1/devices/:serial', 'devices:write'],
    ['ok/device quarantine is a security action', 'POST', '/api/v1/devices/:serial/quarantine', 'devices:quarantine'],
    ['ok/certificate revoke', 'POST', '/api/v1/certificates/:serial/revoke', 'certificates:revoke'],
    ['ok/revocation create', 'POST', '/api/v1/revocations', 'certificates:revoke'],
    ['ok/sim lost', 'POST', '/api/v1/sims/:iccid/report-lost', 'sims:report-lost'],
    ['ok/sim suspend', 'POST', '/api/v1/sims/:iccid/suspend', 'sims:suspend'],
    ['ok/sim resume', 'POST', '/api/v1/sims/:iccid/resume', 'sims:suspend'],
    ['ok/sim change', 'PUT', '/api/v1/sims/:iccid', 'sims:write'],
    ['ok/reading a quarantine is a read', 'GET', '/api/v1/devices/:serial/quarantine', 'devices:read'],
    ['fail/a prefix look-alike is not the resource', 'POST', '/api/v1/policies-import', 'undeclared:write'],
    ['fail/unknown resource write', 'POST', '/api/v1/things', 'undeclared:write'],
    ['fail/unknown resource read', 'GET', '/api/v1/things', 'undeclared:read'],
  ])('%s', (_n, method, route, permission) => {
    expect(defaultPermission(method, route)).toBe(permission);
  });
});
