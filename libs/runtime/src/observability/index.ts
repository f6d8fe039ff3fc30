export * from './json-logger';
export * from './readiness';
export * from './ops-server';
export * from './correlation.interceptor';
export * from './service-metrics';
export * from './outcome-metric';
