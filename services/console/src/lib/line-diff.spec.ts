import { lineDiff } from './line-diff';

describe('lineDiff', () => {
  it.each([
    ['ok/identical', 'a\nb', 'a\nb', [['same', 'a'], ['same', 'b']]],
    ['ok/one line changed', 'a\nb\nc', 'a\nB\nc', [['same', 'a'], ['removed', 'b'], ['added', 'B'], ['same', 'c']]],
    ['ok/added at the end', 'a', 'a\nb', [['same', 'a'], ['added', 'b']]],
    ['ok/removed at the start', 'x\na', 'a', [['removed', 'x'], ['same', 'a']]],
  ])('%s', (_n, before, after, expected) => {
    expect(lineDiff(before, after).map((l) => [l.kind, l.text])).toEqual(expected);
  });
});
