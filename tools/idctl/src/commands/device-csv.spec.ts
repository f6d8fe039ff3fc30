import { parseDeviceCsv, progressBar, splitCsvLine } from './device-csv';

describe('device CSV', () => {
  it.each([
    ['ok/plain', 'a,b,c', ['a', 'b', 'c']],
    ['ok/quoted with comma and quote', '"a,1","say ""hi""",c', ['a,1', 'say "hi"', 'c']],
    ['ok/empty fields', 'a,,', ['a', '', '']],
    ['fail/unterminated', '"abc,d', 'unterminated quoted field'],
    ['fail/stray quote', 'ab"c,d', 'a quote inside an unquoted field'],
  ])('split %s', (_n, line, want) => {
    expect(splitCsvLine(line)).toEqual(want);
  });

  it('ok/rows keep their file line numbers; bad lines are reported, not sent', () => {
    const text = '# devices\nserial,class,iccid,imsi,imei\nSN-1,meter,89441000303122845215,234150999999999,490154203237518\n\nSN-2,meter\n"SN-3,x\nSN-4,,,,\n';
    const r = parseDeviceCsv(text);
    expect(typeof r).toBe('object');
    if (typeof r === 'string') return;
    expect(r.rows).toEqual([
      { line: 3, serial: 'SN-1', deviceClass: 'meter', iccid: '89441000303122845215', imsi: '234150999999999', imei: '490154203237518' },
      { line: 7, serial: 'SN-4' },
    ]);
    expect(r.rejected).toEqual([
      { line: 5, reason: '2 fields, the header has 5' },
      { line: 6, reason: 'unterminated quoted field' },
    ]);
  });

  it.each([
    ['fail/empty', ''],
    ['fail/unknown column', 'serial,colour\n'],
    ['fail/no serial column', 'iccid\n'],
  ])('%s', (_n, text) => {
    expect(typeof parseDeviceCsv(text)).toBe('string');
  });

  it('ok/progress bar', () => {
    expect(progressBar(40_000, 100_000, 10)).toBe('[####......]  40%  40,000/100,000 rows');
  });
});
