import { importRowProblem, screenBatch } from './import-rows';

const sim = { iccid: '89441000303122845215', imsi: '234150999999999', imei: '490154203237518' };

describe('import rows', () => {
  it.each([
    ['ok/device only', { line: 2, serial: 'SN-1' }],
    ['ok/with SIM and details', { line: 2, serial: 'SN-1', deviceClass: 'meter', manufacturer: 'Acme Corp', firmwareVersion: '1.2.3', ...sim }],
  ])('%s', (_n, row) => {
    expect(importRowProblem(row)).toBeNull();
  });

  it.each([
    ['fail/bad serial', { line: 2, serial: 'a:b' }, /serial/],
    ['fail/half a SIM', { line: 2, serial: 'SN-1', iccid: sim.iccid }, /together/],
    ['fail/ICCID check digit', { line: 2, serial: 'SN-1', ...sim, iccid: '89441000303122845216' }, /Luhn/],
    ['fail/IMEI check digit', { line: 2, serial: 'SN-1', ...sim, imei: '490154203237517' }, /IMEI/],
    ['fail/firmware with space', { line: 2, serial: 'SN-1', firmwareVersion: '1 2' }, /firmware/],
  ])('%s', (_n, row, want) => {
    expect(importRowProblem(row)).toMatch(want);
  });

  it('fail/repeats within a batch are rejected by line, the first one stays', () => {
    const r = screenBatch([
      { line: 2, serial: 'A', ...sim },
      { line: 3, serial: 'A' },
      { line: 4, serial: 'B', ...sim },
      { line: 5, serial: 'C' },
    ]);
    expect(r.good.map((g) => g.line)).toEqual([2, 5]);
    expect(r.rejected).toEqual([
      { line: 3, reason: 'serial A repeats line 2' },
      { line: 4, reason: `ICCID ${sim.iccid} repeats line 2` },
    ]);
  });
});
