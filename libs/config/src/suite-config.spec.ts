import { loadCaConfig, loadCommonConfig, loadOnboardingConfig } from './suite-config';

const base = { CA_KEY_PASSPHRASE: 'a'.repeat(20) };

describe('suite config', () => {
  it('ok/defaults', () => {
    const c = loadCaConfig(base);
    expect(c.natsUrl).toBe('nats://127.0.0.1:4222');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.http.port).toBe(8081);
    expect(c.publicUrl).toBe('http://localhost:8081');
    expect(c.defaultDeviceTtlSeconds).toBe(86400);
  });

  it('ok/passphrase from a file', () => {
    const c = loadCaConfig({ CA_KEY_PASSPHRASE_FILE: '/x' }, () => 'p'.repeat(32) + '\n');
    expect(c.keyPassphrase).toBe('p'.repeat(32));
  });

  it.each([
    ['fail/port not a number', { ...base, CA_HTTP_PORT: 'abc' }, 'CA_HTTP_PORT'],
    ['fail/port out of range', { ...base, CA_HTTP_PORT: '70000' }, 'CA_HTTP_PORT'],
    ['fail/no passphrase', {}, 'CA_KEY_PASSPHRASE'],
    ['fail/short passphrase', { CA_KEY_PASSPHRASE: 'short' }, 'CA_KEY_PASSPHRASE'],
    ['fail/database url not postgres', { ...base, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['fail/nats url garbage', { ...base, NATS_URL: '::::' }, 'NATS_URL'],
    ['fail/ttl above max', { ...base, DEVICE_CERT_TTL_SECONDS: String(31 * 86400) }, 'DEVICE_CERT_TTL_SECONDS'],
    ['fail/unknown CA key algorithm', { ...base, CA_KEY_ALGORITHM: 'DSA-1024' }, 'CA_KEY_ALGORITHM'],
    ['fail/CRL nextUpdate below a minute', { ...base, CA_CRL_NEXT_UPDATE_SECONDS: '10' }, 'CA_CRL_NEXT_UPDATE_SECONDS'],
    ['fail/PKCS#11 module without a token label', { ...base, CA_PKCS11_MODULE: '/x.so', CA_PKCS11_PIN: '1234' }, 'CA_PKCS11_TOKEN_LABEL'],
    ['fail/PKCS#11 module without a PIN', { ...base, CA_PKCS11_MODULE: '/x.so', CA_PKCS11_TOKEN_LABEL: 't' }, 'CA_PKCS11_PIN'],
  ])('%s', (_name, env, variable) => {
    expect(() => loadCaConfig(env)).toThrow(expect.objectContaining({ variable }));
  });

  it('fail/unreadable passphrase file names the variable', () => {
    expect(() =>
      loadCaConfig({ CA_KEY_PASSPHRASE_FILE: '/nope' }, () => {
        throw new Error('ENOENT');
      }),
    ).toThrow(expect.objectContaining({ variable: 'CA_KEY_PASSPHRASE_FILE' }));
  });

  it('fail/onboarding without a hash key', () => {
    expect(() => loadOnboardingConfig({})).toThrow(expect.objectContaining({ variable: 'SECRET_HASH_KEY' }));
  });

  it('fail/bad log level', () => {
    expect(() => loadCommonConfig({ LOG_LEVEL: 'loud' })).toThrow(expect.objectContaining({ variable: 'LOG_LEVEL' }));
  });
});

describe('NATS seeds and JetStream replicas', () => {
  it('ok/a comma-separated seed list and three replicas', () => {
    const c = loadCommonConfig({ NATS_URL: 'tls://n1:4222,tls://n2:4222', JETSTREAM_REPLICAS: '3' });
    expect(c.natsUrl).toBe('tls://n1:4222,tls://n2:4222');
    expect(c.jetstreamReplicas).toBe(3);
  });

  it.each([
    ['fail/one seed not a NATS URL', { NATS_URL: 'nats://n1:4222,http://n2' }, 'NATS_URL'],
    ['fail/zero replicas', { JETSTREAM_REPLICAS: '0' }, 'JETSTREAM_REPLICAS'],
  ])('%s', (_name, env, variable) => {
    expect(() => loadCommonConfig(env)).toThrow(expect.objectContaining({ variable }));
  });
});

describe('per-service NATS user', () => {
  it('ok/user and password go into every seed URL', () => {
    const c = loadCommonConfig({ NATS_URL: 'tls://n1:4222,tls://n2:4222', NATS_USER: 'revocation', NATS_PASSWORD: 'p@ss' });
    expect(c.natsUrl).toBe('tls://revocation:p%40ss@n1:4222,tls://revocation:p%40ss@n2:4222');
  });

  it('fail/user without a password', () => {
    expect(() => loadCommonConfig({ NATS_USER: 'ca' })).toThrow(expect.objectContaining({ variable: 'NATS_PASSWORD' }));
  });
});
