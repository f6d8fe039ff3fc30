import { parseDeviceCsv } from './device-import';

describe('parseDeviceCsv', () => {
  it('ok/header in any order, class optional, comments and blank lines skipped', () => {
    const r = parseDeviceCsv('# fleet\nimei,serial,iccid,imsi,class\r\n490154203237518,SN-1,89441000303122845215,234150999999999,meter\n\nx,SN-2,y,z,\n');
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { line: 3, serial: 'SN-1', deviceClass: 'meter', sim: { iccid: '89441000303122845215', imsi: '234150999999999', imei: '490154203237518' } },
      { line: 5, serial: 'SN-2', sim: { iccid: 'y', imsi: 'z', imei: 'x' } },
    ]);
  });

  it.each([
    ['fail/empty file', '', 'empty'],
    ['fail/missing column', 'serial,iccid,imsi\nSN-1,1,2\n', 'lacks imei'],
    ['fail/wrong field count', 'serial,iccid,imsi,imei\nSN-1,1,2\n', 'expected 4 fields'],
    ['fail/empty field', 'serial,iccid,imsi,imei\nSN-1,,2,3\n', 'empty iccid'],
    ['fail/duplicate serial', 'serial,iccid,imsi,imei\nSN-1,1,2,3\nSN-1,4,5,6\n', 'also on line 2'],
  ])('%s', (_n, text, message) => {
    expect(parseDeviceCsv(text).problems[0].message).toContain(message);
  });
});
