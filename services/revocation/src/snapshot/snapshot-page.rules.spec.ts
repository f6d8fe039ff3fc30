import { snapshotPageQuery } from './snapshot-page.rules';

describe('snapshot page request', () => {
  it.each([
    ['ok/first page', {}, { upTo: undefined, after: 0, limit: 2000 }],
    ['ok/no body', undefined, { upTo: undefined, after: 0, limit: 2000 }],
    ['ok/next page', { upTo: 900, after: 400, limit: 100 }, { upTo: 900, after: 400, limit: 100 }],
  ])('%s', (_n, req, expected) => {
    expect(snapshotPageQuery(req)).toEqual(expected);
  });

  it.each([
    ['fail/negative upTo', { upTo: -1 }],
    ['fail/fractional after', { after: 1.5 }],
    ['fail/limit zero', { limit: 0 }],
    ['fail/limit too large', { limit: 5001 }],
    ['fail/after beyond upTo', { upTo: 3, after: 4 }],
    ['fail/upTo as text', { upTo: '9' }],
  ])('%s', (_n, req) => {
    expect(snapshotPageQuery(req as never)).toEqual(expect.any(String));
  });
});
