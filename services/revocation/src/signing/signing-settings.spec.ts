import { loadSigningSettings } from './signing-settings';

describe('loadSigningSettings (REVOCATION_SIGNING_KEY)', () => {
  it.each([
    ['ok/unset: RSA-2048 (PS256)', {}, 'RSA-2048'],
    ['ok/empty: the default', { REVOCATION_SIGNING_KEY: '' }, 'RSA-2048'],
    ['ok/rsa-2048', { REVOCATION_SIGNING_KEY: 'rsa-2048' }, 'RSA-2048'],
    ['ok/rsa-3072', { REVOCATION_SIGNING_KEY: 'rsa-3072' }, 'RSA-3072'],
    ['ok/p-256 (ES256)', { REVOCATION_SIGNING_KEY: 'p-256' }, 'P-256'],
  ])('%s', (_n, env, keyAlgorithm) => {
    expect(loadSigningSettings(env)).toEqual({ keyAlgorithm });
  });

  it.each([
    ['fail/another key type', 'ed25519'],
    ['fail/a weak RSA key', 'rsa-1024'],
    ['fail/the CA spelling, not the setting', 'RSA-2048'],
    ['fail/a prototype key', 'toString'],
  ])('%s', (_n, value) => {
    // The message names the variable and what it may be: the operator reads it in the start-up error.
    expect(() => loadSigningSettings({ REVOCATION_SIGNING_KEY: value })).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable: 'REVOCATION_SIGNING_KEY', message: `REVOCATION_SIGNING_KEY: expected one of rsa-2048, rsa-3072, p-256, got "${value}"` }),
    );
  });
});
