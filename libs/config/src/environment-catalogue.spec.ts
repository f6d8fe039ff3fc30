import { serviceVariables } from './environment-catalogue';

describe('environment catalogue', () => {
  it('lists what the CA reads, secrets as NAME and NAME_FILE, and its operations port', () => {
    const vars = serviceVariables('ca');
    expect(vars).toEqual(expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'CA_HTTP_PORT', 'CA_KEY_PASSPHRASE', 'CA_KEY_PASSPHRASE_FILE', 'CA_OPS_PORT', 'JETSTREAM_REPLICAS']));
    expect(vars).not.toContain('EST_PORT');
  });

  it('gives NATS-only services the common variables and their own operations port', () => {
    expect(serviceVariables('revocation')).toEqual(expect.arrayContaining(['NATS_URL', 'NATS_USER', 'LOG_LEVEL', 'REVOCATION_OPS_PORT', 'OPS_HOST']));
  });
});
