import { loadOpsConfig, opsPortVariable } from './ops-config';

describe('operations listener config', () => {
  it('ok/defaults differ per service', () => {
    expect(loadOpsConfig('ca', {})).toEqual({ host: '127.0.0.1', port: 9103 });
    expect(loadOpsConfig('operator-api', {}).port).toBe(9106);
  });

  it('ok/per-service variable', () => {
    expect(opsPortVariable('operator-api')).toBe('OPERATOR_API_OPS_PORT');
    expect(loadOpsConfig('policy', { POLICY_OPS_PORT: '19104', OPS_HOST: '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 19104 });
  });

  it.each([
    ['fail/not a number', { REVOCATION_OPS_PORT: 'x' }],
    ['fail/out of range', { REVOCATION_OPS_PORT: '70000' }],
  ])('%s', (_name, env) => {
    expect(() => loadOpsConfig('revocation', env)).toThrow(expect.objectContaining({ variable: 'REVOCATION_OPS_PORT' }));
  });
});
