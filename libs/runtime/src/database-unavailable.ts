import { DomainError, ErrorCode } from '@iis/contracts';

/** Node socket errors and PostgreSQL SQLSTATEs that mean "the database is not reachable right now". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  // PostgreSQL class 08 (connection exception) and 57P01-57P03 (shutdown, cannot connect now).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when an error (or the driver error a TypeORM error wraps) says the database cannot be reached. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; cur && depth < 4; depth++) {
    if (typeof cur.code === 'string' && UNREACHABLE_CODES.has(cur.code)) return true;
    if (typeof cur.message === 'string' && /Connection terminated|terminating connection due to administrator command|timeout exceeded when trying to connect/i.test(cur.message)) return true;
    cur = (cur.driverError ?? cur.cause) as typeof cur;
  }
  return false;
}

/** The answer a request gets while the database is away: UNAVAILABLE (HTTP 503 with Retry-After). */
export function databaseUnavailableError(): DomainError {
  return new DomainError(ErrorCode.Unavailable, 'the database is not reachable right now; retry later', 5);
}
