export * from './env-reader';
export * from './suite-config';
export * from './clock';
export * from './suite-files';
export * from './ops-config';
export * from './environment-catalogue';
