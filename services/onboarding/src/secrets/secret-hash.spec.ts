import { hashSecret, newSecret, secretMatches } from './secret-hash';

describe('enrollment secret hashing', () => {
  const key = Buffer.from('k'.repeat(32));

  it('ok/a fresh secret has 256 bits and matches its own hash only', () => {
    const s = newSecret();
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    const h = hashSecret(key, s);
    expect(secretMatches(key, s, h)).toBe(true);
    expect(secretMatches(key, newSecret(), h)).toBe(false);
  });

  it('fail/another key does not match', () => {
    const s = newSecret();
    expect(secretMatches(Buffer.from('x'.repeat(32)), s, hashSecret(key, s))).toBe(false);
  });

  it('fail/a damaged stored hash does not match', () => {
    expect(secretMatches(key, 'abc', 'zz')).toBe(false);
  });
});
