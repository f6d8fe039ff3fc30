import { timelineWindow } from './certificate-timeline';

describe('timelineWindow', () => {
  const now = new Date('2030-01-02T12:00:00.000Z');

  it('ok/three hourly buckets on each side of now, edges touching', () => {
    const w = timelineWindow({ bucketSeconds: 3600, buckets: 3 }, now);
    if ('problem' in w) throw new Error(w.problem);
    expect(w.issued.map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual([
      ['2030-01-02T09:00:00.000Z', '2030-01-02T10:00:00.000Z'],
      ['2030-01-02T10:00:00.000Z', '2030-01-02T11:00:00.000Z'],
      ['2030-01-02T11:00:00.000Z', '2030-01-02T12:00:00.000Z'],
    ]);
    expect(w.expiring.map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual([
      ['2030-01-02T12:00:00.000Z', '2030-01-02T13:00:00.000Z'],
      ['2030-01-02T13:00:00.000Z', '2030-01-02T14:00:00.000Z'],
      ['2030-01-02T14:00:00.000Z', '2030-01-02T15:00:00.000Z'],
    ]);
  });

  it.each([
    ['fail/no request', undefined, 'bucketSeconds must be an integer from 60 to 86400'],
    ['fail/bucket too small', { bucketSeconds: 59, buckets: 24 }, 'bucketSeconds must be an integer from 60 to 86400'],
    ['fail/too many buckets', { bucketSeconds: 3600, buckets: 169 }, 'buckets must be an integer from 1 to 168'],
    ['fail/fractional buckets', { bucketSeconds: 3600, buckets: 1.5 }, 'buckets must be an integer from 1 to 168'],
  ])('%s', (_n, req, problem) => {
    expect(timelineWindow(req as never, now)).toEqual({ problem });
  });
});
