import { ErrorCode } from '@iis/contracts';
import { oneInt, oneText, onlyKeys } from './query-params';

describe('query params', () => {
  it.each([
    ['ok/text', () => oneText({ a: 'x' }, 'a'), 'x'],
    ['ok/absent', () => oneText({}, 'a'), undefined],
    ['ok/int', () => oneInt({ n: '10' }, 'n', 1, 10), 10],
  ])('%s', (_n, f, expected) => {
    expect(f()).toBe(expected);
  });

  it.each([
    ['fail/unknown key', () => onlyKeys({ 'x;drop': '1' }, ['a'])],
    ['fail/array', () => oneText({ a: ['1', '2'] }, 'a')],
    ['fail/object', () => oneText({ a: { $ne: 1 } }, 'a')],
    ['fail/int with sql', () => oneInt({ n: '1 OR 1=1' }, 'n', 1, 10)],
    ['fail/int too big', () => oneInt({ n: '11' }, 'n', 1, 10)],
  ])('%s', async (_n, f) => {
    await expect(Promise.resolve().then(f)).rejects.toMatchObject({ code: ErrorCode.BadRequest });
  });
});
