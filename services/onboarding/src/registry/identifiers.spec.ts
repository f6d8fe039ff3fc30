import { iccidProblem, imeiProblem, imsiProblem, luhnValid, serialProblem } from './identifiers';

describe('identifiers', () => {
  it.each([
    ['ok/known IMEI', '490154203237518', true],
    ['ok/known ICCID', '89441000303122845215', true],
    ['fail/one digit off', '490154203237519', false],
    ['fail/not digits', '49015420323751a', false],
  ])('luhn %s', (_n, digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  it.each([
    ['ok/iccid', iccidProblem('89441000303122845215'), null],
    ['fail/iccid short', iccidProblem('8944'), 'ICCID must be 18 to 22 digits'],
    ['fail/iccid prefix', iccidProblem('12441000303122845215'), 'ICCID must start with 89 (ITU-T E.118 telecom prefix)'],
    ['fail/iccid check digit', iccidProblem('89441000303122845216'), 'ICCID check digit (Luhn) is wrong'],
    ['fail/iccid not a string', iccidProblem(89441000303122845215), 'ICCID must be 18 to 22 digits'],
    ['ok/imsi', imsiProblem('234150999999999'), null],
    ['fail/imsi letters', imsiProblem('23415099999999x'), 'IMSI must be 6 to 15 digits'],
    ['ok/imei', imeiProblem('490154203237518'), null],
    ['fail/imei check digit', imeiProblem('490154203237517'), 'IMEI check digit (Luhn) is wrong'],
    ['ok/serial', serialProblem('SN-0001.a_b'), null],
    ['fail/serial with colon', serialProblem('a:b'), expect.any(String)],
    ['fail/serial empty', serialProblem(''), expect.any(String)],
  ])('%s', (_n, got, want) => {
    expect(got).toEqual(want);
  });
});
