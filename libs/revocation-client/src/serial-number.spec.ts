import { normalizeSerial } from './serial-number';

describe('normalizeSerial', () => {
  it.each([
    ['ok/lower case stays', '5a1e', '5a1e'],
    ['ok/upper case is lowered', '5A1E', '5a1e'],
    ['ok/leading zeros dropped', '00005a1e', '5a1e'],
    ['ok/zero is "0"', '0000', '0'],
    ['ok/20 octets', 'f'.repeat(40), 'f'.repeat(40)],
    ['ok/20 octets behind a zero pad octet', '00' + 'f'.repeat(40), 'f'.repeat(40)],
  ])('%s', (_name, input, expected) => {
    expect(normalizeSerial(input)).toBe(expected);
  });

  it.each([
    ['fail/empty', ''],
    ['fail/not hex', '5a1g'],
    ['fail/colons', '5a:1e'],
    ['fail/0x prefix', '0x5a1e'],
    ['fail/more than 20 octets', '1' + '0'.repeat(40)],
  ])('%s', (_name, input) => {
    expect(normalizeSerial(input)).toBeUndefined();
  });
});
