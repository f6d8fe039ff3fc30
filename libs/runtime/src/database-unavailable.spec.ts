import { ErrorCode } from '@iis/contracts';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

describe('database unavailable', () => {
  it.each([
    ['ok/refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['ok/TypeORM wrapping an admin shutdown', { message: 'QueryFailedError', driverError: { code: '57P01', message: 'terminating connection due to administrator command' } }, true],
    ['ok/pg pool connection terminated', new Error('Connection terminated unexpectedly'), true],
    ['fail/a constraint violation is not an outage', { message: 'duplicate key', driverError: { code: '23505' } }, false],
    ['fail/a plain bug', new TypeError('x is undefined'), false],
    ['fail/nothing', undefined, false],
  ])('%s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });

  it('answers UNAVAILABLE with a retry hint', () => {
    expect(databaseUnavailableError()).toMatchObject({ code: ErrorCode.Unavailable, retryAfterSeconds: 5 });
  });
});
