import { parseSimSearch } from './sim-search';

describe('parseSimSearch', () => {
  it.each([
    ['ok/iccid', { iccid: '89441000303122845215' }, { filters: { iccid: '89441000303122845215' } }],
    ['ok/imsi and imei', { imsi: '234150999999999', imei: '490154203237518' }, { filters: { imsi: '234150999999999', imei: '490154203237518' } }],
    ['ok/empty strings ignored', { iccid: '', imei: '490154203237518' }, { filters: { imei: '490154203237518' } }],
  ])('%s', (_n, req, expected) => {
    expect(parseSimSearch(req)).toEqual(expected);
  });

  it.each([
    ['fail/nothing', {}, 'give an iccid, imsi or imei to search for'],
    ['fail/null', null, 'give an iccid, imsi or imei to search for'],
    ['fail/markup', { iccid: '<b>1</b>' }, 'iccid must be 1 to 22 digits'],
    ['fail/too long imsi', { imsi: '1234567890123456' }, 'imsi must be 1 to 15 digits'],
    ['fail/not a string', { imei: 490154203237518 }, 'imei must be 1 to 15 digits'],
  ])('%s', (_n, req, problem) => {
    expect(parseSimSearch(req)).toEqual({ problem });
  });
});
