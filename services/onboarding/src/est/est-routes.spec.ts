import { DomainError, ErrorCode } from '@iis/contracts';
import { matchEstRoute } from './est-routes';

describe('matchEstRoute', () => {
  it.each([
    ['/.well-known/est/cacerts', 'cacerts', undefined],
    ['/.well-known/est/simpleenroll', 'simpleenroll', undefined],
    ['/.well-known/est/sensors/simplereenroll', 'simplereenroll', 'sensors'],
    ['/.well-known/est/sensors/serverkeygen/', 'serverkeygen', 'sensors'],
    ['/.well-known/est/csrattrs?x=1', 'csrattrs', undefined],
    ['/.well-known/est/cacerts#top', 'cacerts', undefined],
    // RFC 9112 3.2.2: the absolute form, which servers must accept.
    ['https://est.example.com:8443/.well-known/est/factory/simpleenroll?x=1', 'simpleenroll', 'factory'],
    ['/.well-known/EST/SimpleEnroll', 'simpleenroll', undefined],
    ['/.well-known/est/fleet%20a/cacerts', 'cacerts', 'fleet a'],
    // A label may carry an operation's name: the last segment is the operation.
    ['/.well-known/est/simpleenroll/cacerts', 'cacerts', 'simpleenroll'],
  ])('%s → %s, label %s', (target, operation, label) => {
    expect(matchEstRoute(target)).toEqual({ operation, label });
  });

  it.each([
    '/.well-known/est/',
    '/.well-known/est/enroll',
    '/.well-known/est/a/b/simpleenroll',
    '/.well-known/est//simpleenroll',
    '/.well-known/estx/cacerts',
    '/.well-known/attestation/v1/challenges',
    '/devices',
    'https://est.example.com/devices',
    '*',
  ])('%s names no EST operation', (target) => {
    expect(matchEstRoute(target)).toBeNull();
  });

  it('refuses a label that is not valid percent-encoding with a 400', () => {
    let caught: unknown;
    try {
      matchEstRoute('/.well-known/est/%E0%A4%A/simpleenroll');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(ErrorCode.BadRequest);
  });
});
