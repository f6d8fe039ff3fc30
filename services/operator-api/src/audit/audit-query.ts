import { DomainError, ErrorCode } from '@iis/contracts';
import type { AuditQuery } from './audit.service';

/**
 * Audit filters from a query string, checked before they reach the database (framework-free).
 * Every value is bound as a parameter anyway; this turns nonsense into a 400 instead of an
 * empty page, and arrays (`?device=a&device=b`) into a clear error rather than a surprise.
 */
export const MAX_AUDIT_PAGE = 1000;

export function parseAuditQuery(q: Record<string, unknown>): AuditQuery & { device?: string } {
  const known = ['since', 'until', 'device', 'actor', 'action', 'after', 'limit'];
  for (const key of Object.keys(q)) {
    if (!known.includes(key)) throw new DomainError(ErrorCode.BadRequest, `unknown filter "${key.slice(0, 40)}"; known: ${known.join(', ')}`);
  }
  const one = (key: string): string | undefined => {
    const v = q[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new DomainError(ErrorCode.BadRequest, `${key} must be given once, as text`);
    return v;
  };
  const time = (key: string): Date | undefined => {
    const v = one(key);
    if (v === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) || Number.isNaN(Date.parse(v))) {
      throw new DomainError(ErrorCode.BadRequest, `${key} must be an ISO 8601 date or time, e.g. 2026-11-24 or 2026-11-24T09:00:00Z`);
    }
    return new Date(v);
  };
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = one(key);
    if (v === undefined) return undefined;
    if (!/^\d{1,15}$/.test(v) || Number(v) < min || Number(v) > max) throw new DomainError(ErrorCode.BadRequest, `${key} must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
  const text = (key: string, pattern: RegExp, what: string): string | undefined => {
    const v = one(key);
    if (v === undefined) return undefined;
    if (!pattern.test(v)) throw new DomainError(ErrorCode.BadRequest, `${key} must be ${what}`);
    return v;
  };
  const since = time('since');
  const until = time('until');
  if (since && until && since >= until) throw new DomainError(ErrorCode.BadRequest, 'since must be before until');
  return {
    since,
    until,
    device: text('device', /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device serial (letters, digits, ".", "_", "-")'),
    actor: text('actor', /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'an operator name'),
    action: text('action', /^[A-Za-z0-9 ._:/-]{1,100}$/, 'an action name'),
    after: int('after', 0, Number.MAX_SAFE_INTEGER),
    limit: int('limit', 1, MAX_AUDIT_PAGE) ?? 100,
  };
}
