import { auditCsvRow, csvCell, csvHeader, progressLine } from './export-format';

describe('export formats', () => {
  it.each([
    ['ok/plain', 'alice', 'alice'],
    ['ok/null is empty', null, ''],
    ['ok/number', 42, '42'],
    ['ok/comma is quoted', 'a,b', '"a,b"'],
    ['ok/quote is doubled', 'say "hi"', '"say ""hi"""'],
    ['ok/newline is quoted', 'a\nb', '"a\nb"'],
    ['fail/formula =', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['fail/formula +', '+1+1', "'+1+1"],
    ['fail/formula -', '-2+3', "'-2+3"],
    ['fail/formula @', '@SUM(A1)', "'@SUM(A1)"],
    ['fail/leading tab', '\t=1', "'\t=1"],
  ])('%s', (_n, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('ok/a row follows the header columns', () => {
    expect(csvHeader()).toBe('seq,at,actor,role,action,target,device,reason,outcome,status,detail,actorId,prevHash,hash\r\n');
    expect(auditCsvRow({ seq: 1, at: 't', actor: 'a', reason: 'x, y', hash: 'h' })).toBe('1,t,a,,,,,"x, y",,,,,,h\r\n');
  });

  it.each([
    ['ok/no total', 5, null, '5 entries'],
    ['ok/half', 50, 100, '[###############...............]  50%  50/100 entries'],
    ['ok/done', 100, 100, '[##############################] 100%  100/100 entries'],
    ['ok/over the total stays at 100', 120, 100, '[##############################] 100%  120/100 entries'],
  ])('%s', (_n, done, total, expected) => {
    expect(progressLine(done, total, 'entries')).toBe(expected);
  });
});
